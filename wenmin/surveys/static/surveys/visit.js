/* Needs surveys at the door, where the signal is weak: the answers stay on the phone
   (localStorage) as they are typed, a sent visit waits in an outbox until the server has stored
   it, and the outbox is retried when the phone is back online. Every visit carries the key made
   when it started, so a resend is never stored twice. Without JavaScript the form is a plain POST. */
(function () {
  "use strict";

  var OUTBOX = "wenmin.surveys.outbox";
  var DRAFT = "wenmin.surveys.draft.";
  var RETRY_MS = 5000;
  var sending = false;

  function read(name, fallback) {
    try { return JSON.parse(window.localStorage.getItem(name)) || fallback; }
    catch (e) { return fallback; }
  }
  function write(name, value) {
    try { window.localStorage.setItem(name, JSON.stringify(value)); return true; }
    catch (e) { return false; }  // private mode or full: the plain POST still works
  }

  var statusBox = document.querySelector("[data-outbox-status]");
  function say(kind, text, link) {
    if (!statusBox) return;
    statusBox.hidden = false;
    statusBox.className = "outbox" + (kind ? " " + kind : "");
    statusBox.setAttribute("data-state", kind || "pending");
    statusBox.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.label;
      statusBox.appendChild(document.createTextNode(" "));
      statusBox.appendChild(a);
    }
  }
  function message(name) { return statusBox ? statusBox.getAttribute("data-msg-" + name) || "" : ""; }

  // A photo as a data URL; a large one made smaller first (a phone's camera takes several MB,
  // too much for the phone's storage and for a village's signal).
  var PHOTO_SIDE = 1600;
  var PHOTO_SMALL = 400 * 1024;
  function photoData(file, done) {
    var reader = new FileReader();
    reader.onload = function () {
      var original = { file: file.name, type: file.type, data: reader.result };
      if (file.size <= PHOTO_SMALL || !/^image\/(jpeg|png|webp)$/.test(file.type)) return done(original);
      var image = new Image();
      image.onload = function () {
        var scale = Math.min(1, PHOTO_SIDE / Math.max(image.width, image.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.width * scale);
        canvas.height = Math.round(image.height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
        done({ file: name, type: "image/jpeg", data: canvas.toDataURL("image/jpeg", 0.8) });
      };
      image.onerror = function () { done(original); };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  }

  // The form's fields as [name, value] pairs; a photo as a data URL, so it survives a reload.
  function serialise(form, done, withoutFiles) {
    var fields = [];
    var pending = 0;
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (!el.name || el.disabled) continue;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
      if (el.type === "file") {
        if (withoutFiles) continue;
        for (var j = 0; j < el.files.length; j++) {
          pending++;
          (function (name, file) {
            photoData(file, function (item) {
              fields.push([name, item]);
              if (--pending === 0) done(fields);
            });
          })(el.name, el.files[j]);
        }
        continue;
      }
      fields.push([el.name, el.value]);
    }
    if (pending === 0) done(fields);
  }

  function blobOf(item) {
    var parts = item.data.split(",");
    var bytes = window.atob(parts[1] || "");
    var buffer = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) buffer[i] = bytes.charCodeAt(i);
    return new File([buffer], item.file, { type: item.type });
  }

  // The page's own CSRF token (the base template puts it on <body> for htmx): a visit kept
  // since before the volunteer logged in again carries a token that no longer holds.
  function currentToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function body(fields, token) {
    var data = new FormData();
    fields.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken" && token) data.append(pair[0], token);
      else if (pair[1] && typeof pair[1] === "object") data.append(pair[0], blobOf(pair[1]), pair[1].file);
      else data.append(pair[0], pair[1]);
    });
    return data;
  }

  function pendingCount() { return Object.keys(read(OUTBOX, {})).length; }

  function showPending() {
    var n = pendingCount();
    if (n) say("", message("pending") + " " + n);
  }

  // Send every visit of the outbox, one after the other; keep what could not be sent.
  function flush() {
    if (sending) return;
    var outbox = read(OUTBOX, {});
    var keys = Object.keys(outbox).filter(function (k) { return !outbox[k].refused; });
    if (!keys.length) return;
    sending = true;
    var key = keys[0];
    var entry = outbox[key];
    var token = currentToken() || entry.csrf || "";
    fetch(entry.url, {
      method: "POST",
      body: body(entry.fields, token),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, json: json }; },
                                   function () { return { status: response.status, json: {} }; });
    }).then(function (answer) {
      sending = false;
      var box = read(OUTBOX, {});
      if (answer.status === 200 && answer.json.visit) {
        delete box[key];
        write(OUTBOX, box);
        say("sent", message("sent"), { href: answer.json.url, label: doneLabel() });
        flush();
      } else if (answer.status === 400) {
        box[key].refused = answer.json.errors || {};
        write(OUTBOX, box);
        refused(key, box[key]);
      } else if (answer.status === 200 || answer.status === 403) {
        say("refused", message("login"));  // the login page answered: kept until logged in
      }  // 5xx: kept for the next try
    }, function () {
      sending = false;  // no connection: kept on the phone
      if (document.querySelector("[data-visit-form]")) say("", message("saved"));
      else showPending();
    });
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function doneLabel() {
    var form = document.querySelector("[data-visit-form]");
    return form ? form.getAttribute("data-done-label") : "✓";
  }

  // A refused visit goes back into its form with the server's messages.
  function refused(key, entry) {
    var form = document.querySelector("[data-visit-form]");
    if (form && form.elements.idempotency_key.value === key) {
      var box = read(OUTBOX, {});
      delete box[key];
      write(OUTBOX, box);
      say("refused", message("refused"));
      var errors = entry.refused || {};
      if (errors.idempotency_key) form.elements.idempotency_key.value = newKey();  // a new visit
      Object.keys(errors).forEach(function (field) {
        var match = /^answers\.(\d+)$/.exec(field);
        var target = match ? form.querySelector('[data-question="' + match[1] + '"]') : null;
        var list = document.createElement("ul");
        list.className = "errorlist";
        errors[field].forEach(function (text) {
          var li = document.createElement("li");
          li.textContent = text;
          list.appendChild(li);
        });
        (target || statusBox).appendChild(list);
      });
    } else {
      say("refused", message("refused") + " " + (entry.household || ""), { href: entry.page, label: entry.household || "" });
    }
  }

  function restore(form, fields) {
    var byName = {};
    fields.forEach(function (pair) {
      if (typeof pair[1] === "string") (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      var values = byName[el.name];
      if (!values || el.type === "file" || el.name === "csrfmiddlewaretoken") continue;
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
      else el.value = values[0];
    }
  }

  // Where the visit happens, when the volunteer allows it: asked once when the form opens, never
  // waited for (a visit sent before the answer, or without one, goes without a location).
  function locate(form) {
    var note = form.querySelector("[data-location]");
    function show(name) {
      if (!note) return;
      note.hidden = false;
      note.setAttribute("data-state", name);
      note.textContent = note.getAttribute("data-msg-" + name) || "";
    }
    if (form.elements.latitude.value && form.elements.longitude.value) { show("found"); return; }
    if (!navigator.geolocation) { show("none"); return; }
    try {
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.latitude.value = position.coords.latitude.toFixed(6);
        form.elements.longitude.value = position.coords.longitude.toFixed(6);
        show("found");
        form.dispatchEvent(new Event("change"));  // kept with the draft
      }, function () { show("none"); }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    } catch (e) { show("none"); }
  }

  function visitForm(form) {
    var draftName = DRAFT + form.getAttribute("data-visit-form");
    var draft = read(draftName, null);
    var hasErrors = form.querySelector(".errorlist") !== null;
    var box = read(OUTBOX, {});
    var back = Object.keys(box).filter(function (k) {
      return box[k].refused && box[k].page === window.location.pathname;
    })[0];
    if (back) {
      // A visit the server refused while the phone was elsewhere: its answers and key return.
      restore(form, box[back].fields);
      refused(back, box[back]);
    } else if (draft && draft.fields && !hasErrors) {
      restore(form, draft.fields);  // the key too: the visit keeps the key it started with
      say("", message("draft"));
    }
    function keep() {
      serialise(form, function (fields) { write(draftName, { fields: fields }); }, true);
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    locate(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.elements.visited_at.value) form.elements.visited_at.value = new Date().toISOString();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      serialise(form, function (fields) {
        var key = form.elements.idempotency_key.value;
        var box = read(OUTBOX, {});
        var csrf = form.elements.csrfmiddlewaretoken ? form.elements.csrfmiddlewaretoken.value : "";
        box[key] = {
          url: form.action,
          page: window.location.pathname,
          household: document.title.split(" · ")[0],
          csrf: csrf,
          fields: fields
        };
        if (!write(OUTBOX, box)) { form.submit(); return; }  // no room on the phone: send as is
        window.localStorage.removeItem(draftName);
        say("", navigator.onLine === false ? message("saved") : message("sending"));
        if (button) button.disabled = false;
        flush();
      });
    });
  }

  function ready() {
    var form = document.querySelector("[data-visit-form]");
    if (form) visitForm(form);
    else showPending();
    var box = read(OUTBOX, {});
    Object.keys(box).forEach(function (key) { if (box[key].refused && !form) refused(key, box[key]); });
    flush();
    window.addEventListener("online", flush);
    window.setInterval(flush, RETRY_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
