/* The control API as the pages call it: JSON over fetch, with the control token when the
   sandbox has one. The token is asked for once (a dialog, on the first 401), kept for this tab
   in sessionStorage and sent as "Authorization: Bearer <token>". Also a tiny DOM helper. */
"use strict";

const Sandbox = (() => {
  const KEY = "mockserver.controlToken";
  let asking = null;

  function askToken(message) {
    if (asking) return asking;
    asking = new Promise((resolve) => {
      const dialog = document.getElementById("token-dialog");
      const form = document.getElementById("token-form");
      const input = document.getElementById("token-input");
      document.getElementById("token-error").textContent = message;
      dialog.addEventListener("cancel", (event) => event.preventDefault());  // nothing works without it
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        sessionStorage.setItem(KEY, input.value.trim());
        input.value = "";
        dialog.close();
        asking = null;
        resolve();
      }, {once: true});
      dialog.showModal();
      input.focus();
    });
    return asking;
  }

  /* The fetch Response of a control call, once it is not a 401. */
  async function call(method, path, body) {
    for (;;) {
      const headers = {Accept: "application/json"};
      const token = sessionStorage.getItem(KEY);
      if (token) headers.Authorization = "Bearer " + token;
      const init = {method, headers, cache: "no-store"};
      if (body !== undefined) {
        headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
      const response = await fetch(path, init);
      if (response.status !== 401) return response;
      await askToken(token ? "That token was refused; try again." : "");
    }
  }

  /* The parsed answer (null when empty); an Error with .status and .data when not 2xx. */
  async function json(method, path, body) {
    const response = await call(method, path, body);
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (_) { data = text; }
    }
    if (!response.ok) {
      const error = new Error((data && data.message) || `${method} ${path}: ${response.status}`);
      error.status = response.status;
      error.data = data;
      throw error;
    }
    return data;
  }

  /* el("td", {class: "num", dataset: {id: 1}}, "text", otherNode) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "dataset") Object.assign(node.dataset, value);
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /* A value for a person: objects and JSON strings pretty-printed. */
  function pretty(value) {
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
      try { return JSON.stringify(JSON.parse(value), null, 2); } catch (_) { return value; }
    }
    return typeof value === "object" && value !== null ? JSON.stringify(value, null, 2) : String(value);
  }

  return {call, json, el, pretty};
})();
