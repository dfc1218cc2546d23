/// The Mustache template of `APIDocsPage`: inline CSS and JS, nothing fetched from elsewhere.
enum APIDocsTemplate {
    static let text = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} — REST API</title>
        <style>
        body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; display: flex; }
        nav { width: 260px; min-width: 260px; height: 100vh; overflow: auto; position: sticky; top: 0; border-right: 1px solid #d0d7de; padding: 12px; box-sizing: border-box; background: #f6f8fa; }
        nav a { display: block; color: #0969da; text-decoration: none; padding: 1px 0; }
        nav .count { color: #57606a; }
        main { flex: 1; padding: 16px 24px; max-width: 1100px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 24px 0 8px; border-bottom: 1px solid #d0d7de; }
        .meta { color: #57606a; margin-bottom: 12px; }
        #auth { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; margin: 12px 0; }
        #auth input { width: 420px; font-family: ui-monospace, monospace; }
        details.op { border: 1px solid #d0d7de; border-radius: 6px; margin: 8px 0; }
        details.op > summary { padding: 6px 10px; cursor: pointer; font-family: ui-monospace, monospace; }
        .method { display: inline-block; min-width: 56px; font-weight: 700; text-align: center; border-radius: 4px; color: #fff; padding: 0 4px; margin-right: 6px; }
        .get { background: #1f6feb; } .post { background: #1a7f37; } .put, .patch { background: #9a6700; } .delete { background: #cf222e; } .head, .options { background: #57606a; }
        .opid { color: #57606a; margin-left: 8px; } .summary { font-family: system-ui, sans-serif; margin-left: 8px; }
        .deprecated { text-decoration: line-through; }
        .body { padding: 4px 14px 12px; }
        table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 3px 6px; border-top: 1px solid #eaeef2; vertical-align: top; }
        pre { white-space: pre-wrap; word-break: break-all; background: #f6f8fa; padding: 8px; margin: 4px 0; font-size: 12px; }
        .try { background: #fbfcfd; border: 1px dashed #d0d7de; padding: 8px; margin-top: 8px; }
        .try input, .try select { font-family: ui-monospace, monospace; min-width: 220px; }
        .try textarea { width: 100%; min-height: 90px; font-family: ui-monospace, monospace; }
        .status-ok { color: #1a7f37; font-weight: 700; } .status-bad { color: #cf222e; font-weight: 700; }
        .req { color: #cf222e; }
        </style>
        </head>
        <body>
        <nav aria-label="operations by tag">
        <strong>{{title}}</strong>
        {{#tags}}<a href="#{{anchor}}">{{name}} <span class="count">({{count}})</span></a>{{/tags}}
        </nav>
        <main>
        <h1>{{title}}</h1>
        <div class="meta">version {{version}} · {{operationCount}} operations · {{source}} · written by detapi</div>
        {{#description}}<p>{{description}}</p>{{/description}}
        <div id="auth"><label>Bearer token for "Try it out" (kept in this page only; from Login's answer, or detapi call Login, or DET_TOKEN):
        <input type="password" id="token" autocomplete="off" spellcheck="false"></label></div>
        {{#tags}}
        <h2 id="{{anchor}}">{{name}}</h2>
        {{#description}}<p>{{description}}</p>{{/description}}
        {{#operations}}
        <details class="op" id="{{anchor}}" data-op="{{id}}" data-method="{{method}}" data-path="{{path}}">
        <summary><span class="method {{methodClass}}">{{method}}</span><span class="{{#deprecated}}deprecated{{/deprecated}}">{{path}}</span><span class="opid">{{id}}</span>{{#summary}}<span class="summary">{{summary}}</span>{{/summary}}</summary>
        <div class="body">
        {{#description}}<p>{{description}}</p>{{/description}}
        {{#secured}}<div class="meta">needs a token</div>{{/secured}}
        {{#hasParameters}}<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>
        {{#parameters}}<tr><td>{{name}}{{#required}} <span class="req">*</span>{{/required}}</td><td>{{in}}</td><td>{{type}}</td><td>{{description}}</td></tr>{{/parameters}}
        </table>{{/hasParameters}}
        {{#body}}<h4>Request body{{#required}} <span class="req">*</span>{{/required}}</h4><pre>{{schema}}</pre>{{/body}}
        <h4>Responses</h4>
        <table>{{#responses}}<tr><td>{{status}}</td><td>{{description}}{{#schema}}<pre>{{schema}}</pre>{{/schema}}</td></tr>{{/responses}}</table>
        <form class="try" data-op="{{id}}">
        <strong>Try it out</strong>
        <table>
        {{#parameters}}<tr><td>{{name}}{{#required}} <span class="req">*</span>{{/required}}</td><td>
        {{#hasEnum}}<select name="{{name}}" data-in="{{in}}"><option value=""></option>{{#enum}}<option>{{value}}</option>{{/enum}}</select>{{/hasEnum}}
        {{^hasEnum}}<input name="{{name}}" data-in="{{in}}" placeholder="{{type}}">{{/hasEnum}}
        </td></tr>{{/parameters}}
        </table>
        {{#body}}<textarea name="__body" aria-label="request body">{{example}}</textarea>{{/body}}
        <button type="submit">Send</button>
        <div class="result" hidden>
        <div>status <span class="status"></span> · <span class="time"></span></div>
        <h4>curl</h4><pre class="curl"></pre>
        <h4>Response body</h4><pre class="response"></pre>
        </div>
        </form>
        </div>
        </details>
        {{/operations}}
        {{/tags}}
        </main>
        <script>
        (function () {
          'use strict';
          function quote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }
          function send(form) {
            var op = form.closest('details.op');
            var method = op.getAttribute('data-method');
            var path = op.getAttribute('data-path');
            var query = [];
            var missing = [];
            Array.prototype.forEach.call(form.querySelectorAll('[data-in]'), function (el) {
              var v = el.value.trim();
              var name = el.getAttribute('name');
              if (el.getAttribute('data-in') === 'path') {
                if (!v) { missing.push(name); }
                path = path.split('{' + name + '}').join(encodeURIComponent(v));
              } else if (v && el.getAttribute('data-in') === 'query') {
                v.split(',').forEach(function (part) { query.push(encodeURIComponent(name) + '=' + encodeURIComponent(part.trim())); });
              }
            });
            var result = form.querySelector('.result');
            var status = form.querySelector('.status');
            result.hidden = false;
            if (missing.length) {
              status.textContent = 'fill in ' + missing.join(', ');
              status.className = 'status status-bad';
              return;
            }
            var url = path + (query.length ? '?' + query.join('&') : '');
            var headers = {};
            var curl = 'curl -X ' + method + ' ' + quote(location.origin + url);
            var token = document.getElementById('token').value.trim();
            if (token) {
              headers['Authorization'] = 'Bearer ' + token;
              curl += ' -H "Authorization: Bearer $DET_TOKEN"';
            }
            var init = { method: method, headers: headers, credentials: 'omit' };
            var bodyField = form.querySelector('textarea[name="__body"]');
            if (bodyField && method !== 'GET' && method !== 'HEAD') {
              init.body = bodyField.value;
              headers['Content-Type'] = 'application/json';
              curl += " -H 'Content-Type: application/json' -d " + quote(bodyField.value.replace(/\s*\n\s*/g, ' '));
            }
            form.querySelector('.curl').textContent = curl;
            status.textContent = 'sending…';
            status.className = 'status';
            var started = performance.now();
            fetch(url, init).then(function (response) {
              return response.text().then(function (text) {
                var shown = text;
                try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { }
                status.textContent = response.status + ' ' + response.statusText;
                status.className = 'status ' + (response.ok ? 'status-ok' : 'status-bad');
                form.querySelector('.time').textContent = Math.round(performance.now() - started) + ' ms';
                form.querySelector('.response').textContent = shown;
                form.setAttribute('data-status', String(response.status));
              });
            }).catch(function (error) {
              status.textContent = 'no answer: ' + error;
              status.className = 'status status-bad';
              form.setAttribute('data-status', 'error');
            });
          }
          Array.prototype.forEach.call(document.querySelectorAll('form.try'), function (form) {
            form.addEventListener('submit', function (event) { event.preventDefault(); send(form); });
          });
          // #op-GetExperiments opens that operation.
          function openHash() {
            var target = location.hash && document.getElementById(location.hash.slice(1));
            if (target && target.tagName === 'DETAILS') { target.open = true; target.scrollIntoView(); }
          }
          window.addEventListener('hashchange', openHash);
          openHash();
          document.body.setAttribute('data-ready', '1');
        })();
        </script>
        </body>
        </html>
        """#
}
