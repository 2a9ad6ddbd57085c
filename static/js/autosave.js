/*
 * Autosave for the long-text forms: <form data-autosave="on" data-autosave-key="...">.
 *
 * The form works without this script (its Save button posts it). With it:
 * - about 1.5 s after typing stops, when focus leaves a field and when the page is hidden,
 *   the form is posted in the background with autosave=1; the server answers JSON
 *   {"version": n, "saved_at": "HH:MM", "message": "..."} and the hidden version is updated;
 * - 409 (a newer version was saved, or the page is closed now): the message is shown and
 *   saving as you type stops until the person saves with the button and compares versions;
 * - signed out (401, 403, a redirect) or offline: the text stays, with a message saying so;
 * - a copy is kept in this browser's localStorage until it is saved, and offered back if the
 *   page later opens with different text;
 * - the CSRF token is read from the cookie when posting, so signing in again in another tab
 *   (which changes the token) does not break saving here.
 * data-autosave="paused": after a refused save the person must choose; only the local copy is kept.
 * data-autosave-unsaved: the page holds text that is not saved (a refused or invalid post).
 */
(function () {
  "use strict";

  var DELAY_MS = 1500;
  var KEEP_LOCAL_MS = 14 * 24 * 60 * 60 * 1000;
  var KEEPALIVE_LIMIT = 60000;
  var SIGNED_OUT =
    "Not saved: you may have been signed out. Your text is still here; copy it or sign in again in another tab.";
  var OFFLINE =
    "Not saved: the server could not be reached. Your text is still here and kept on this device; " +
    "it will be saved when you type again.";
  var PAUSED = "Saving as you type is paused: compare the two versions, then press Save.";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function fieldValues(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled || element.readOnly) return;
      if (["hidden", "submit", "button", "reset", "file"].indexOf(element.type) !== -1) return;
      values[element.name] = element.type === "checkbox" ? (element.checked ? "on" : "") : element.value;
    });
    return values;
  }

  function sameValues(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    return names.every(function (name) {
      return (a[name] || "").replace(/\r\n/g, "\n") === (b[name] || "").replace(/\r\n/g, "\n");
    });
  }

  function setValues(form, values) {
    Object.keys(values).forEach(function (name) {
      var element = form.elements.namedItem(name);
      if (!element || element.type === "hidden" || element.readOnly || element.disabled) return;
      if (element.type === "checkbox") element.checked = values[name] === "on";
      else element.value = values[name];
    });
  }

  function timeOf(milliseconds) {
    var moment = new Date(milliseconds);
    return moment.toLocaleDateString("en-GB", { day: "numeric", month: "long" }) +
      " at " + moment.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function countCharacters(textarea) {
    var limit = parseInt(textarea.getAttribute("data-maxlength"), 10);
    if (!limit) return;
    var counter = document.createElement("div");
    counter.className = "form-text character-count";
    counter.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", counter);
    function update() {
      var length = textarea.value.length;
      if (length < limit * 0.8) {
        counter.textContent = "";
        counter.hidden = true;
        return;
      }
      counter.hidden = false;
      counter.classList.toggle("text-danger", length > limit);
      counter.textContent = length > limit
        ? length.toLocaleString("en-GB") + " characters: " + (length - limit).toLocaleString("en-GB") +
          " over the limit of " + limit.toLocaleString("en-GB") + "."
        : length.toLocaleString("en-GB") + " of " + limit.toLocaleString("en-GB") + " characters.";
    }
    textarea.addEventListener("input", update);
    update();
  }

  function enhance(form) {
    var status = form.querySelector("[data-autosave-status]");
    var hint = form.querySelector("[data-autosave-hint]");
    var versionInput = form.querySelector("input[name=version]");
    var key = "autosave:" + (form.getAttribute("data-autosave-key") || location.pathname);
    var paused = form.getAttribute("data-autosave") === "paused";
    var dirty = form.hasAttribute("data-autosave-unsaved");
    var stopped = false;
    var submitting = false;
    var saving = false;
    var saveAgain = false;
    var waitingSubmitter = null;
    var timer = null;

    // Results go to the live status line; "Saving…" and "Not saved yet…" only to the eye, so that a
    // screen reader is not interrupted at every pause in typing.
    var progress = document.createElement("span");
    progress.className = "save-progress small text-body-secondary";
    progress.setAttribute("aria-hidden", "true");
    if (status) status.insertAdjacentElement("afterend", progress);

    function say(text, problem) {
      progress.textContent = "";
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("save-status-problem", !!problem);
    }

    function show(text) {
      progress.textContent = text;
    }

    function keepLocal() {
      try {
        localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: fieldValues(form) }));
      } catch (error) {
        /* storage full or disabled: the server copy is what counts */
      }
    }

    function dropLocal() {
      try {
        localStorage.removeItem(key);
      } catch (error) {
        /* nothing kept */
      }
    }

    function readLocal() {
      try {
        var kept = JSON.parse(localStorage.getItem(key));
        return kept && kept.fields ? kept : null;
      } catch (error) {
        return null;
      }
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }

    function changed() {
      dirty = true;
      keepLocal();
      if (paused || stopped || submitting) return;
      show("Not saved yet…");
      schedule();
    }

    function finished() {
      saving = false;
      if (waitingSubmitter !== null) {
        var submitter = waitingSubmitter;
        waitingSubmitter = null;
        if (submitter === form) form.requestSubmit();
        else form.requestSubmit(submitter);
      } else if (saveAgain) {
        saveAgain = false;
        save();
      }
    }

    function save(leaving) {
      clearTimeout(timer);
      if (!dirty || paused || stopped || submitting) return;
      if (saving) {
        saveAgain = true;
        return;
      }
      saving = true;
      var sent = fieldValues(form);
      var body = new FormData(form);
      var token = cookie("csrftoken") || body.get("csrfmiddlewaretoken") || "";
      body.set("csrfmiddlewaretoken", token);
      body.set("autosave", "1");
      var size = 0;
      Object.keys(sent).forEach(function (name) { size += sent[name].length; });
      show("Saving…");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        keepalive: leaving === true && size < KEEPALIVE_LIMIT, // lets the save finish as the page goes
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": token, Accept: "application/json" },
      })
        .then(function (response) {
          if (response.type === "opaqueredirect" || [302, 401, 403].indexOf(response.status) !== -1) {
            return { status: 401, data: { message: SIGNED_OUT } };
          }
          return response.json().then(
            function (data) { return { status: response.status, data: data }; },
            function () { return { status: response.status, data: {} }; }
          );
        })
        .then(function (result) {
          var data = result.data || {};
          if (result.status === 200) {
            if (versionInput && data.version) versionInput.value = data.version;
            say(data.message || "Draft saved at " + data.saved_at + ".");
            document.dispatchEvent(new Event("talent:saved")); // the session is kept on (session.js)
            if (sameValues(fieldValues(form), sent)) {
              dirty = false;
              dropLocal();
            } else {
              saveAgain = true;
            }
          } else if (result.status === 409) {
            stopped = true;
            say(data.message || "Not saved: a newer version was saved. Press Save to compare.", true);
          } else if (result.status === 400 || result.status === 401) {
            say(data.message || SIGNED_OUT, true);
          } else {
            say("Not saved: the server had a problem (error " + result.status + "). Your text is still here; " +
              "it will be saved when you type again.", true);
          }
        })
        .catch(function () {
          say(OFFLINE, true);
        })
        .then(finished);
    }

    function offerRestore(kept) {
      var offer = document.createElement("div");
      offer.className = "alert alert-info d-flex flex-wrap align-items-center gap-2";
      offer.setAttribute("role", "status");
      var text = document.createElement("p");
      text.className = "mb-0 me-auto";
      text.textContent = "This browser kept text you typed here on " + timeOf(kept.at) +
        " that differs from what is saved.";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "btn btn-primary btn-sm";
      restore.textContent = "Put it back in the form";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "btn btn-outline-secondary btn-sm";
      discard.textContent = "Discard it";
      restore.addEventListener("click", function () {
        setValues(form, kept.fields);
        offer.remove();
        form.querySelectorAll("textarea[data-maxlength]").forEach(function (textarea) {
          textarea.dispatchEvent(new Event("input", { bubbles: false }));
        });
        changed();
        var first = form.querySelector("textarea, input:not([type=hidden]), select");
        if (first) first.focus();
      });
      discard.addEventListener("click", function () {
        dropLocal();
        offer.remove();
      });
      offer.append(text, restore, discard);
      form.parentNode.insertBefore(offer, form);
    }

    var kept = readLocal();
    if (kept) {
      if (Date.now() - kept.at > KEEP_LOCAL_MS) dropLocal();
      else if (sameValues(kept.fields, fieldValues(form))) {
        if (!dirty) dropLocal();
      } else offerRestore(kept);
    }
    if (dirty) keepLocal();

    if (hint) hint.hidden = false;
    if (paused) say(PAUSED, true);

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("focusout", function () {
      if (dirty) save();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && dirty) save(true);
    });
    form.addEventListener("submit", function (event) {
      if (saving) {
        // Let the background save finish first, so the post carries the version it produced.
        event.preventDefault();
        waitingSubmitter = event.submitter || form;
        return;
      }
      submitting = true;
      clearTimeout(timer);
      keepLocal();
      var token = cookie("csrftoken");
      var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (token && tokenInput) tokenInput.value = token;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) submitting = false; // back from the page the form went to
    });
  }

  document.querySelectorAll("textarea[data-maxlength]").forEach(countCharacters);
  document.querySelectorAll("form[data-autosave]").forEach(enhance);
  var focus = document.querySelector("[data-focus-on-load]");
  if (focus) focus.focus();
})();
