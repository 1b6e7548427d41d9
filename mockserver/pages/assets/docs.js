/* A vendor's API docs: its spec (from the control API) in Swagger UI, with the servers set to
   this sandbox and "Try it out" authorised as the vendor's sample caller. */
"use strict";

(async () => {
  const root = document.getElementById("docs");
  const {api, vendor, baseUrl} = root.dataset;
  const error = document.getElementById("docs-error");
  const named = encodeURIComponent(vendor);
  let spec;
  try {
    spec = await Sandbox.json("GET", `${api}/specs/${named}`);
  } catch (failure) {
    error.textContent = `The spec could not be read: ${failure.message}`;
    return;
  }
  // Only this sandbox: the real service and any other server are out of reach from here.
  spec.servers = [{url: baseUrl, description: "this sandbox"}];
  for (const item of Object.values(spec.paths || {})) {
    delete item.servers;
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === "object") delete operation.servers;
    }
  }
  let sample = null;
  try {
    sample = await Sandbox.json("GET", `${api}/docs/${named}/credential`);
    showSample(sample);
  } catch (failure) {
    error.textContent = `No sample credential: ${failure.message}`;
  }
  const ui = SwaggerUIBundle({
    spec,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    displayRequestDuration: true,
    validatorUrl: null,  // no call to an outside validator
    onComplete: () => authorize(ui, sample),
  });
  window.sandboxDocs = ui;

  function showSample(found) {
    const row = (label, value) =>
      Sandbox.el("tr", {}, Sandbox.el("th", {}, label), Sandbox.el("td", {}, Sandbox.el("code", {}, value)));
    const rows = Object.entries(found.headers || {}).map(([name, value]) => row(`${name}:`, value));
    for (const [scheme, given] of Object.entries(found.schemes || {})) {
      if (given.type !== "basic") continue;  // the others are the header's value as it stands
      rows.push(row(`${scheme}: user name`, given.username), row(`${scheme}: password`, given.password));
    }
    if (!rows.length) return;
    document.getElementById("sample-headers").replaceChildren(...rows);
    document.getElementById("sample").hidden = false;
  }

  function authorize(swagger, found) {
    for (const [scheme, given] of Object.entries((found && found.schemes) || {})) {
      if (given.type === "basic") swagger.preauthorizeBasic(scheme, given.username, given.password);
      else swagger.preauthorizeApiKey(scheme, given.value);  // an API key or a bearer token
      // A browser sends no Cookie header a page sets: a session cookie scheme is held as a
      // cookie of this origin instead, so "Try it out" sends it as a signed-in browser would.
      const declared = ((spec.components || {}).securitySchemes || {})[scheme] || {};
      if (given.in === "cookie" && declared.name) {
        document.cookie = `${declared.name}=${encodeURIComponent(given.value)}; path=/; SameSite=Strict`;
      }
    }
  }
})();
