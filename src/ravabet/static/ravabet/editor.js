// The news body's rich-text editor (Quill 2, served from node_modules; see docs/news.md).
// Without JavaScript the textarea stays as it is: plain text with line marks, never tags.
// With it, the textarea is hidden and Quill edits the stored HTML; on submit the editor's HTML
// goes back into the textarea and the hidden body_format field says "html". The server's
// sanitiser (news/richtext.py) has the last word on what is kept.
(function () {
  "use strict";

  function readJson(id, fallback) {
    var node = document.getElementById(id);
    if (!node) return fallback;
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return fallback;
    }
  }

  // Only what the sanitiser keeps: pasted fonts, colours and Word's classes never reach the
  // editor's model, so they are not saved either.
  var FORMATS = ["bold", "italic", "header", "list", "blockquote", "link", "image"];

  // Word and web pages paste style attributes; parsing them would trip the CSP (style-src has
  // no 'unsafe-inline') before Quill drops them anyway, so they go first. Only the editor sees
  // this string: the server's sanitiser still decides what is stored.
  var STYLE_ATTRIBUTE = /\s(style|class|lang)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

  function pasteClean(quill) {
    quill.root.addEventListener(
      "paste",
      function (event) {
        var data = event.clipboardData;
        var html = data && data.getData("text/html");
        if (!html) return; // plain text: Quill's own handler
        event.preventDefault();
        event.stopImmediatePropagation();
        var range = quill.getSelection(true);
        quill.clipboard.onPaste(range, {
          html: html.replace(/<style[\s\S]*?<\/style>/gi, "").replace(STYLE_ATTRIBUTE, ""),
          text: data.getData("text/plain"),
        });
      },
      true,
    );
  }

  function semanticHtml(quill) {
    if (quill.getLength() <= 1) return "";
    return quill
      .getSemanticHTML()
      .replace(/&nbsp;|\u00a0/g, " ") // Quill 2.0 writes every space as &nbsp;
      .replace(/<p><\/p>|<p><br><\/p>/g, "");
  }

  function photoPanel(quill, photos, labels, button) {
    var panel = document.createElement("div");
    panel.className = "editor-photos";
    panel.hidden = true;
    if (!photos.length) {
      var note = document.createElement("p");
      note.textContent = labels.noPhotos;
      panel.appendChild(note);
    }
    photos.forEach(function (photo) {
      var choice = document.createElement("button");
      choice.type = "button";
      choice.className = "secondary";
      var thumb = document.createElement("img");
      thumb.src = photo.src;
      thumb.alt = "";
      choice.appendChild(thumb);
      choice.appendChild(document.createTextNode(photo.alt));
      choice.addEventListener("click", function () {
        var range = quill.getSelection(true);
        var at = range ? range.index : quill.getLength();
        quill.insertEmbed(at, "image", photo.src, "user");
        quill.formatText(at, 1, { alt: photo.alt }, "user");
        quill.setSelection(at + 1, 0, "user");
        panel.hidden = true;
        button.setAttribute("aria-expanded", "false");
      });
      panel.appendChild(choice);
    });
    return panel;
  }

  function start(textarea) {
    if (typeof window.Quill !== "function") return;
    var form = textarea.form;
    var format = form.querySelector("[data-editor-format]");
    var labelsNode = document.getElementById("news-editor-labels");
    var labels = labelsNode ? labelsNode.dataset : {};
    var photos = readJson("news-body-photos", []);
    if (!Array.isArray(photos)) photos = [];

    var holder = document.createElement("div");
    holder.className = "news-editor";
    var surface = document.createElement("div");
    holder.appendChild(surface);
    textarea.parentNode.insertBefore(holder, textarea);
    textarea.hidden = true;
    // The help text explains the plain textarea's line marks; the editor has a toolbar instead.
    var help = document.getElementById(textarea.id + "_helptext");
    if (help) help.hidden = true;

    var quill = new window.Quill(surface, {
      theme: "snow",
      formats: FORMATS,
      modules: {
        toolbar: [
          [{ header: 2 }, { header: 3 }],
          ["bold", "italic"],
          [{ list: "ordered" }, { list: "bullet" }, "blockquote"],
          ["link", "image"],
          ["clean"],
        ],
      },
    });
    pasteClean(quill);
    quill.root.setAttribute("dir", "rtl");
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    quill.root.setAttribute("aria-label", labels.editor || textarea.name);
    if (textarea.id) {
      var label = form.querySelector('label[for="' + textarea.id + '"]');
      if (label) {
        label.id = label.id || textarea.id + "-label";
        quill.root.setAttribute("aria-labelledby", label.id);
        label.addEventListener("click", function () {
          quill.focus();
        });
      }
    }

    // Persian names for the toolbar's buttons (Quill names them by format in English).
    var toolbar = holder.querySelector(".ql-toolbar");
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", labels.toolbar || "");
    var names = {
      ".ql-header[value='2']": labels.heading2,
      ".ql-header[value='3']": labels.heading3,
      ".ql-bold": labels.bold,
      ".ql-italic": labels.italic,
      ".ql-list[value='ordered']": labels.ordered,
      ".ql-list[value='bullet']": labels.bullet,
      ".ql-blockquote": labels.blockquote,
      ".ql-link": labels.link,
      ".ql-image": labels.image,
      ".ql-clean": labels.clean,
    };
    Object.keys(names).forEach(function (selector) {
      var button = toolbar.querySelector(selector);
      if (button && names[selector]) {
        button.setAttribute("aria-label", names[selector]);
        button.title = names[selector];
      }
    });
    // The link tooltip's words come from CSS; custom properties carry the translations (set
    // from script, which the CSP allows, unlike a style attribute in the markup).
    [
      ["--editor-visit", labels.visit],
      ["--editor-edit", labels.edit],
      ["--editor-remove", labels.remove],
      ["--editor-save", labels.save],
      ["--editor-enter-link", labels.linkPrompt],
    ].forEach(function (pair) {
      if (pair[1]) holder.style.setProperty(pair[0], JSON.stringify(pair[1]));
    });

    var linkBox = holder.querySelector(".ql-tooltip input");
    if (linkBox) {
      linkBox.setAttribute("aria-label", labels.linkPrompt || "URL");
      linkBox.dir = "ltr";
    }

    var imageButton = toolbar.querySelector(".ql-image");
    var panel = photoPanel(quill, photos, labels, imageButton);
    holder.insertBefore(panel, surface);
    imageButton.setAttribute("aria-expanded", "false");
    quill.getModule("toolbar").addHandler("image", function () {
      panel.hidden = !panel.hidden;
      imageButton.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
    });

    var html = readJson("news-body-html", "");
    if (html) {
      quill.setContents(quill.clipboard.convert({ html: html }), "silent");
    }
    quill.history.clear();

    form.addEventListener("submit", function () {
      textarea.value = semanticHtml(quill);
      if (format) format.value = "html";
    });
    holder.dataset.ready = "true";
  }

  function init() {
    document.querySelectorAll("textarea[data-editor='rich']").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
