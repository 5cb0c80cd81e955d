// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Take the reader to the error summary so screen readers announce it (GOV.UK pattern).
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Lists that follow another choice (districts follow the state): without JavaScript the
  // person presses the "Show" button; with it, changing the choice presses it for them.
  const refresh = document.querySelector("button[name=refresh], input[name=refresh]");
  if (refresh) {
    for (const select of refresh.form.querySelectorAll("select")) {
      select.addEventListener("change", () => refresh.click());
    }
  }
});
