// Passkeys: the pages' one script. WebAuthn has no way in but the browser's
// navigator.credentials: this asks it to make or use a passkey with the options the
// server put on the page, and posts its answer (as JSON) with the page's form.
"use strict";

(function () {
  const form = document.getElementById("passkey-form");
  const button = document.getElementById("passkey-start");
  const problem = document.getElementById("passkey-problem");
  if (!form || !button) {
    return;
  }
  if (!window.PublicKeyCredential || !navigator.credentials) {
    problem.textContent = "This browser cannot use passkeys.";
    return;
  }
  const options = JSON.parse(document.getElementById("passkey-options").textContent);
  const creating = form.dataset.mode === "create";

  function bytes(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  }

  function text(buffer) {
    const characters = Array.from(new Uint8Array(buffer), (byte) => String.fromCharCode(byte));
    return btoa(characters.join("")).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function publicKey() {
    const key = Object.assign({}, options, { challenge: bytes(options.challenge) });
    if (key.user) {
      key.user = Object.assign({}, key.user, { id: bytes(key.user.id) });
    }
    for (const list of ["excludeCredentials", "allowCredentials"]) {
      if (key[list]) {
        key[list] = key[list].map((item) => Object.assign({}, item, { id: bytes(item.id) }));
      }
    }
    return key;
  }

  function answer(credential) {
    const made = credential.response;
    const response = { clientDataJSON: text(made.clientDataJSON) };
    if (creating) {
      response.attestationObject = text(made.attestationObject);
      response.transports = made.getTransports ? made.getTransports() : [];
    } else {
      response.authenticatorData = text(made.authenticatorData);
      response.signature = text(made.signature);
      if (made.userHandle) {
        response.userHandle = text(made.userHandle);
      }
    }
    return JSON.stringify({
      id: credential.id,
      rawId: text(credential.rawId),
      type: credential.type,
      response: response,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment,
    });
  }

  button.hidden = false;
  button.addEventListener("click", async function () {
    problem.textContent = "";
    button.disabled = true;
    try {
      const request = { publicKey: publicKey() };
      const credential = creating
        ? await navigator.credentials.create(request)
        : await navigator.credentials.get(request);
      form.elements.credential.value = answer(credential);
      form.submit();
    } catch (error) {
      button.disabled = false;
      problem.textContent = creating
        ? "No passkey was made (cancelled, timed out, or this device has one for the account already). Try again."
        : "No passkey was used (cancelled, timed out, or none for this site). Try again, or use your password.";
    }
  });
})();
