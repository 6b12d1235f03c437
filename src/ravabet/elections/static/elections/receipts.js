// Find a receipt in the published ballots, in the browser only: nothing is sent anywhere.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-receipt-filter]");
  const found = document.getElementById("receipt-found");
  if (!box) return;
  const rows = Array.from(document.querySelectorAll("tr[data-receipt]"));
  const canon = (value) =>
    value
      .replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d)))
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, "");
  box.addEventListener("input", () => {
    const wanted = canon(box.value);
    let hits = 0;
    for (const row of rows) {
      const show = !wanted || canon(row.dataset.receipt).startsWith(wanted);
      row.hidden = !show;
      if (show && wanted) hits += 1;
    }
    found.textContent = wanted ? (hits ? "✓ " + hits : "✗ 0") : "";
  });
});
