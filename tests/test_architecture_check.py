"""tools/check_architecture.py: it passes on the real tree and fails on each kind of violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import check_architecture as arch

REPO = Path(__file__).resolve().parents[1]

DOC = """
# Architecture
```allowed-imports
low ->
high -> low   # comment
```
```orm-modules
low.backend
```
```remote-addr
low.clientaddr
```
"""


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "ravabet"
    for app in ("low", "high"):
        (package / app).mkdir(parents=True, exist_ok=True)
        (package / app / "__init__.py").write_text("")
        (package / app / "apps.py").write_text("")
    (package / "__init__.py").write_text("")
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def _messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    package = _tree(tmp_path, files)
    return [str(v) for v in arch.check(package, arch.parse_rules(DOC))]


def test_the_real_tree_passes():
    assert arch.main(["--package", str(REPO / "src" / "ravabet")]) == 0


def test_allowed_arrows_pass(tmp_path):
    assert _messages(tmp_path, {"high/views.py": "from ravabet.low import selectors\n"}) == []


def test_an_upward_import_fails(tmp_path):
    messages = _messages(tmp_path, {"low/services.py": "from ravabet.high.models import X\n"})
    assert len(messages) == 1
    assert "low/services.py:1" in messages[0] and "low -> high" in messages[0]


@pytest.mark.parametrize(
    "source",
    [
        "import ravabet.high.models\n",
        "from ravabet import high\n",
        "def f():\n    from ravabet.high import services\n",  # a lazy import counts too
        "from ...high import services\n",  # relative, from low/sub/mod.py
    ],
)
def test_every_import_form_is_seen(tmp_path, source):
    assert len(_messages(tmp_path, {"low/sub/mod.py": source})) == 1


def test_orm_in_a_view_fails_and_in_the_data_layer_passes(tmp_path):
    orm = "def f(M):\n    return M.objects.filter(a=1)\n"
    messages = _messages(
        tmp_path,
        {
            "low/views.py": orm,
            "low/forms.py": orm,
            "low/selectors.py": orm,
            "low/services/intake.py": orm,  # services as a package
            "low/management/commands/load.py": orm,
            "low/tests/test_x.py": orm,
            "low/demo.py": orm,
            "low/backend.py": orm,  # listed under orm-modules
        },
    )
    assert [m.split(":")[0].rsplit("ravabet/", 1)[1] for m in messages] == [
        "low/forms.py",
        "low/views.py",
    ]
    assert all("`.objects.`" in m for m in messages)


def test_remote_addr_outside_the_helper_fails(tmp_path):
    read = "def f(request):\n    return request.META['REMOTE_ADDR']\n"
    messages = _messages(
        tmp_path,
        {"low/clientaddr.py": read, "high/views.py": read, "settings.py": read},
    )
    assert len(messages) == 2
    assert "high/views.py:2" in messages[0] and "REMOTE_ADDR" in messages[0]
    assert "settings.py:2" in messages[1]


def test_a_doc_without_the_block_is_an_error():
    with pytest.raises(ValueError, match="allowed-imports"):
        arch.parse_rules("# Architecture\nno block here\n")


def test_main_reports_and_fails(tmp_path, capsys):
    package = _tree(tmp_path, {"low/views.py": "from ravabet.high import x\n"})
    doc = tmp_path / "architecture.md"
    doc.write_text(DOC)
    assert arch.main(["--package", str(package), "--doc", str(doc)]) == 1
    assert "1 violation" in capsys.readouterr().err
