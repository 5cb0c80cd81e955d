// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Take the reader to the error summary so screen readers announce it (GOV.UK pattern).
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Parts of a form that only apply when a box is ticked (pre-packaged declarations): hidden
  // while it is not. Without JavaScript they simply stay visible.
  for (const part of document.querySelectorAll("[data-shown-by]")) {
    const box = document.getElementById(part.dataset.shownBy);
    if (box) {
      const update = () => { part.hidden = !box.checked; };
      box.addEventListener("change", update);
      update();
    }
  }

  // Lists that follow another choice (districts follow the state): without JavaScript the
  // person presses the "Show" button; with it, changing the choice presses it for them.
  const refresh = document.querySelector("button[name=refresh], input[name=refresh]");
  if (refresh) {
    for (const select of refresh.form.querySelectorAll("select")) {
      select.addEventListener("change", () => refresh.click());
    }
  }

  // Invoices: a print button (the page prints well without it too).
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
