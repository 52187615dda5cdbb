namespace BounceDashboard.Web.Api;

/// <summary>
/// The Development-only API page: lists the operations of <c>/openapi/v1.json</c> and sends one request with a key.
/// A page of our own instead of Scalar or Swagger UI: neither is on the package mirror, and this needs no script from
/// elsewhere. Everything the document or a response holds is shown as text (textContent), never as markup.
/// </summary>
internal static class ApiDocsPage
{
    public const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>BounceDashboard API</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 70rem; }
          code, pre, input, select, textarea { font-family: ui-monospace, monospace; font-size: .9rem; }
          .op { margin: .2rem 0; cursor: pointer; } .method { display: inline-block; width: 4.5rem; font-weight: bold; }
          pre { background: #f4f4f4; padding: 1rem; overflow: auto; max-height: 30rem; }
          label { display: block; margin-top: .6rem; } input[type=text] { width: 40rem; } textarea { width: 40rem; height: 8rem; }
        </style>
        </head>
        <body>
        <h1>BounceDashboard API</h1>
        <p>The document: <a href="/openapi/v1.json">/openapi/v1.json</a>. Click an operation to fill the form.</p>
        <div id="ops"></div>
        <h2>Try a request</h2>
        <label>X-Api-Key <input type="text" id="key" autocomplete="off"></label>
        <label>Method <select id="method"><option>GET</option><option>POST</option><option>DELETE</option></select></label>
        <label>Path and query <input type="text" id="path" value="/api/v1/suppressions"></label>
        <label>Content type <input type="text" id="type" value="application/json"></label>
        <label>Body <textarea id="body"></textarea></label>
        <p><button id="send">Send</button></p>
        <pre id="out"></pre>
        <script>
        const text = (tag, value, cls) => { const e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; return e; };
        fetch('/openapi/v1.json').then(r => r.json()).then(doc => {
          const ops = document.getElementById('ops');
          for (const [path, item] of Object.entries(doc.paths || {})) {
            for (const [method, op] of Object.entries(item)) {
              if (!op || typeof op !== 'object' || !op.responses) continue;
              const row = text('div', '', 'op');
              row.append(text('span', method.toUpperCase(), 'method'), text('code', path), text('span', ' ' + (op.summary || '')));
              row.onclick = () => { document.getElementById('method').value = method.toUpperCase(); document.getElementById('path').value = path; };
              ops.append(row);
            }
          }
        });
        document.getElementById('send').onclick = async () => {
          const method = document.getElementById('method').value;
          const headers = { 'X-Api-Key': document.getElementById('key').value };
          const init = { method, headers };
          if (method === 'POST') { headers['Content-Type'] = document.getElementById('type').value; init.body = document.getElementById('body').value; }
          const response = await fetch(document.getElementById('path').value, init);
          document.getElementById('out').textContent = response.status + ' ' + response.statusText + '\n\n' + await response.text();
        };
        </script>
        </body>
        </html>
        """;
}
