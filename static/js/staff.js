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

// A seller's application: each section's "Verified" / "Needs changes" is saved in place, with no
// page load. The section and the decision panel come back as they now are; the outcome is
// announced; focus moves to the next section still to decide (or to the decision once none
// is), or back to the reason when it was refused. Without JavaScript, or if the request fails,
// the form is sent as usual and the page comes back at the same section.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-in-place")) {
    return;
  }
  event.preventDefault();
  const button = event.submitter;
  const data = new FormData(form);
  if (button && button.name) {
    data.append(button.name, button.value);
  }
  const sendAsUsual = () => {
    form.removeAttribute("data-in-place");
    form.requestSubmit(button);
  };
  let answer;
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-Requested-With": "fetch", "Accept": "application/json"},
    });
    if (!(response.headers.get("Content-Type") || "").includes("application/json")) {
      throw new Error(`answered ${response.status}`);
    }
    answer = await response.json();
  } catch (error) {
    sendAsUsual();
    return;
  }
  const section = form.closest(".review-section");
  const id = section.id;
  section.outerHTML = answer.section;
  const decision = document.getElementById("decision");
  if (decision && answer.decision) {
    decision.outerHTML = answer.decision;
  }
  const announcer = document.getElementById("review-announcer");
  if (announcer) {
    announcer.textContent = answer.message;
  }
  const updated = document.getElementById(id);
  if (!answer.ok) {
    const reason = updated.querySelector("textarea");
    (reason || updated.querySelector("h2")).focus();
    return;
  }
  const sections = [...document.querySelectorAll(".review-section")];
  const after = sections.slice(sections.indexOf(updated) + 1);
  const next = [...after, ...sections].find((part) => part.hasAttribute("data-pending"));
  const target = next ? next.querySelector("h2") : document.getElementById("decision-title");
  if (target) {
    target.focus();
  }
});
