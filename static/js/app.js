// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The cart's count in the header: the header is the same for every visitor (it is cached), so
  // the count comes from the cart_count cookie the cart keeps (orders/cart_count.py).
  const badge = document.querySelector("[data-cart-count]");
  const counted = document.cookie.match(/(?:^|;\s*)cart_count=(\d{1,4})(?:;|$)/);
  if (badge && counted && Number(counted[1]) > 0) {
    badge.textContent = counted[1];
    badge.hidden = false;
  }

  // The header's menu (a <details>, which opens and closes without this): Escape or a tap
  // elsewhere closes it, and Escape gives the focus back to its button.
  const menu = document.querySelector("[data-site-menu]");
  if (menu) {
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  }

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
  // The page asks the server for the new lists without leaving it (the same POST the button
  // makes, which stores nothing) and swaps in just the part that follows the choice, so the
  // person stays where they are; where that cannot be done, the button is pressed as before.
  const refresh = document.querySelector("button[name=refresh], input[name=refresh]");
  if (refresh) {
    const region = () => refresh.form.querySelector("[data-follows-choice]");
    const inPlace = async (select) => {
      const data = new FormData(refresh.form);
      data.append(refresh.name, refresh.value || "1");
      const answer = await fetch(refresh.form.action || location.href,
                                 { method: "POST", body: data, credentials: "same-origin" });
      if (!answer.ok) throw new Error(`answer ${answer.status}`);
      const fresh = new DOMParser().parseFromString(await answer.text(), "text/html")
        .querySelector("[data-follows-choice]");
      if (!fresh || !region()) throw new Error("no part to swap");
      region().replaceWith(fresh);
      const next = fresh.querySelector("select");
      if (next && !fresh.contains(select)) next.focus();
    };
    refresh.form.addEventListener("change", (event) => {
      const select = event.target.closest("select");
      if (!select) return;
      if (!region()) { refresh.click(); return; }
      inPlace(select).catch(() => refresh.click());
    });
  }

  // Listing photos being processed in the background: ask for the list again every few
  // seconds and show the new one, until none is processing. Then the page is loaded again (so
  // the submit button appears), unless the person has started typing in one of its forms.
  const photoList = document.querySelector("[data-photos-processing]");
  if (photoList) {
    let typed = false;
    document.addEventListener("input", () => { typed = true; });
    let asked = 0;
    const poll = async () => {
      asked += 1;
      const current = document.getElementById("photo-list");
      const url = current && current.dataset.photosProcessing;
      if (!url || asked > 100) {
        return;
      }
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok) {
          const holder = document.createElement("div");
          holder.innerHTML = await response.text();
          const fresh = holder.querySelector("#photo-list");
          if (!fresh) {
            return;  // no photos left (removed in another tab)
          }
          current.replaceWith(fresh);
          if (!fresh.dataset.photosProcessing) {
            if (!typed) { window.location.reload(); }
            return;
          }
        }
      } catch (error) {
        // Offline for a moment: try again at the next tick.
      }
      window.setTimeout(poll, 3000);
    };
    window.setTimeout(poll, 2000);
  }

  // A new API token: the notice takes focus, and a copy button where the browser allows it
  // (the secret can always be selected by hand).
  const newToken = document.querySelector("[data-new-token]");
  if (newToken) {
    newToken.focus();
  }
  for (const button of document.querySelectorAll("[data-copy]")) {
    if (!navigator.clipboard) {
      continue;
    }
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = button.dataset.copied;
      } catch (error) {
        // Not allowed here: the secret stays selectable.
      }
    });
  }

  // Invoices: a print button (the page prints well without it too).
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});

// A page with several forms (the listing editor: price and stock, photos, details) saves one at
// a time. Pressing one form's button while another holds unsaved typing would silently drop that
// typing, so ask first; the question comes from the page (data-unsaved-warning), in its language.
document.addEventListener("DOMContentLoaded", () => {
  const page = document.querySelector("[data-unsaved-warning]");
  if (!page) return;
  const forms = [...page.querySelectorAll("form[data-unsaved-name]")];
  const changed = new Set();
  forms.forEach((form) => {
    form.addEventListener("input", () => changed.add(form));
    form.addEventListener("change", () => changed.add(form));
    form.addEventListener("submit", (event) => {
      const others = forms.filter((other) => other !== form && changed.has(other));
      if (!others.length) return;
      const names = others.map((other) => other.dataset.unsavedName).join(", ");
      if (!window.confirm(page.dataset.unsavedWarning.replace("{forms}", names))) {
        event.preventDefault();
      }
    });
  });
});

// Switching language mid-form keeps what was typed: the page comes back in the other language
// empty, so the fields go along in sessionStorage (this tab only) and are put back on arrival.
// Never passwords, files or hidden fields (CSRF tokens, keys): those stay as the server sent.
(() => {
  const KEY = "odop-typed-before-language-switch";
  const samePage = () => location.pathname.replace(/^\/hi(?=\/|$)/, "") || "/";
  const carried = (field) => field.name && !field.disabled
    && !["password", "file", "hidden", "submit", "button"].includes(field.type);

  document.addEventListener("click", (event) => {
    const link = event.target.closest("nav.language-switch a");
    if (!link) return;
    const forms = [...document.forms].map((form) => [...form.elements].filter(carried)
      .map((field) => [field.name, field.type === "checkbox" || field.type === "radio"
        ? (field.checked ? field.value : null) : field.value]));
    if (forms.some((fields) => fields.some(([, value]) => value))) {
      sessionStorage.setItem(KEY, JSON.stringify({page: samePage(), forms}));
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
    if (!saved || saved.page !== samePage()) return;
    [...document.forms].forEach((form, index) => {
      const fields = saved.forms[index] || [];
      const elements = [...form.elements].filter(carried);
      fields.forEach(([name, value], position) => {
        const field = elements[position];
        if (!field || field.name !== name) return;
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = value !== null;
        } else if (value) {
          field.value = value;
        }
      });
    });
  });
})();
