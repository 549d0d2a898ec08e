// The end of an MCP server's sign-in (OAuth, see src/app/mcp-oauth.ts): hands `code`, `state`
// or `error` from this page's address to the Unroll tab that asked, then closes the window.
// A file of its own, not an inline script: the page's Content-Security-Policy allows none.
// The BroadcastChannel carries the answer even when the browser cut this window off from its
// opener (the app is cross-origin isolated); the opener, when kept, also gets it directly.
(function () {
  var params = new URLSearchParams(window.location.search);
  if (!params.has('code') && !params.has('error')) return;
  var message = { type: 'unroll-mcp-oauth' };
  var fields = { code: 'code', state: 'state', error: 'error', errorDescription: 'error_description' };
  for (var key in fields) {
    var value = params.get(fields[key]);
    if (value !== null) message[key] = value;
  }
  // The code must not stay in the address bar or the history.
  window.history.replaceState(null, '', window.location.pathname);

  var channel = null;
  try {
    channel = new BroadcastChannel('unroll-mcp-oauth');
    channel.postMessage(message);
  } catch (err) {
    channel = null;
  }
  try {
    if (window.opener) window.opener.postMessage(message, window.location.origin);
  } catch (err) {
    // An opener on another origin, or none: the channel has it.
  }

  var status = document.getElementById('status');
  var title = document.getElementById('title');
  if (message.error) {
    title.textContent = 'The sign-in did not finish';
    status.textContent = 'The sign-in page answered "' + message.error + '"' + (message.errorDescription ? ': ' + message.errorDescription : '') + '. Back to Unroll: this window closes by itself.';
  } else {
    title.textContent = 'Signed in';
    status.textContent = 'Back to Unroll: this window closes by itself.';
  }
  setTimeout(function () {
    if (channel) channel.close();
    window.close();
  }, 300);
})();
