// Staff pages, progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The dashboard's long parts start closed on a phone (headline figures first); on a wide
  // screen there is room for them, so they start open.
  if (window.matchMedia("(min-width: 60rem)").matches) {
    for (const part of document.querySelectorAll("details.dashboard-part")) {
      part.open = true;
    }
  }
});
