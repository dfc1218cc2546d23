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
        .desc { white-space: pre-line; } details.more > summary { color: #0969da; cursor: pointer; display: inline; margin-left: 4px; }
        .verdict { margin: 4px 0; } #token-note { color: #1a7f37; margin-left: 8px; }
        .repeat input { display: block; margin-bottom: 2px; }
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
        {{#apiDescription}}<div class="desc">{{head}}{{#rest}}<details class="more"><summary>more</summary>{{rest}}</details>{{/rest}}</div>{{/apiDescription}}
        <div id="auth"><label>Bearer token for "Try it out" (kept in this page only; from Login's answer, or detapi call Login, or DET_TOKEN):
        <input type="password" id="token" autocomplete="off" spellcheck="false"></label><span id="token-note"></span></div>
        {{#tags}}
        <h2 id="{{anchor}}">{{name}}</h2>
        {{#tagDescription}}<p class="desc">{{head}}{{#rest}}<details class="more"><summary>more</summary>{{rest}}</details>{{/rest}}</p>{{/tagDescription}}
        {{#operations}}
        <details class="op" id="{{anchor}}" data-op="{{id}}" data-method="{{method}}" data-path="{{path}}" data-secured="{{secured}}">
        <summary><span class="method {{methodClass}}">{{method}}</span><span class="{{#deprecated}}deprecated{{/deprecated}}">{{path}}</span><span class="opid">{{id}}</span>{{#summary}}<span class="summary">{{summary}}</span>{{/summary}}</summary>
        <div class="body">
        {{#opDescription}}<div class="desc">{{head}}{{#rest}}<details class="more"><summary>more</summary>{{rest}}</details>{{/rest}}</div>{{/opDescription}}
        {{#secured}}<div class="meta">needs a token</div>{{/secured}}
        {{#hasParameters}}<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>
        {{#parameters}}<tr><td>{{name}}{{#required}} <span class="req">*</span>{{/required}}</td><td>{{in}}</td><td>{{type}}</td><td class="desc">{{#paramDescription}}{{head}}{{#rest}}<details class="more"><summary>more</summary>{{rest}}</details>{{/rest}}{{/paramDescription}}</td></tr>{{/parameters}}
        </table>{{/hasParameters}}
        {{#body}}<h4>Request body{{#required}} <span class="req">*</span>{{/required}}</h4><pre>{{schema}}</pre>{{/body}}
        <h4>Responses</h4>
        <table>{{#responses}}<tr><td>{{status}}</td><td>{{description}}{{#schema}}<pre>{{schema}}</pre>{{/schema}}</td></tr>{{/responses}}</table>
        <form class="try" data-op="{{id}}">
        <strong>Try it out</strong>
        <table>
        {{#parameters}}<tr><td>{{name}}{{#required}} <span class="req">*</span>{{/required}}</td><td>
        {{#hasEnum}}{{#isArray}}<select name="{{name}}" data-in="{{in}}" data-collection="{{collection}}" multiple aria-label="{{name}} (choose any)">{{#enum}}<option>{{value}}</option>{{/enum}}</select>{{/isArray}}{{^isArray}}<select name="{{name}}" data-in="{{in}}"><option value=""></option>{{#enum}}<option>{{value}}</option>{{/enum}}</select>{{/isArray}}{{/hasEnum}}
        {{^hasEnum}}{{#isArray}}<span class="repeat"><input name="{{name}}" data-in="{{in}}" data-collection="{{collection}}" placeholder="{{type}}, one value"></span><button type="button" class="add" title="another value">+</button>{{/isArray}}{{^isArray}}<input name="{{name}}" data-in="{{in}}" placeholder="{{type}}">{{/isArray}}{{/hasEnum}}
        </td></tr>{{/parameters}}
        </table>
        {{#body}}<textarea name="__body" aria-label="request body">{{example}}</textarea>{{/body}}
        <button type="submit">Send</button>
        <div class="result" hidden>
        <div>status <span class="status"></span> · <span class="time"></span></div>
        <pre class="verdict"></pre>
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
            var sent = {};
            var order = [];
            // Each parameter's values: a multi-select's chosen options, a repeated input's filled boxes, or the one
            // value typed (kept whole: a comma in it is part of the value).
            Array.prototype.forEach.call(form.querySelectorAll('[data-in]'), function (el) {
              var name = el.getAttribute('name');
              var values = [];
              if (el.tagName === 'SELECT' && el.multiple) {
                Array.prototype.forEach.call(el.selectedOptions, function (o) { values.push(o.value); });
              } else if (el.value.trim()) {
                values.push(el.value.trim());
              }
              if (!sent[name]) {
                sent[name] = { where: el.getAttribute('data-in'), collection: el.getAttribute('data-collection'), values: [] };
                order.push(name);
              }
              sent[name].values = sent[name].values.concat(values);
            });
            var separators = { csv: ',', ssv: '%20', tsv: '%09', pipes: '%7C' };
            var headerParameters = {};
            order.forEach(function (name) {
              var p = sent[name];
              var encoded = p.values.map(encodeURIComponent);
              if (p.where === 'path') {
                if (!p.values.length) { missing.push(name); }
                path = path.split('{' + name + '}').join(encoded.join(','));
              } else if (p.where === 'query' && p.values.length) {
                if (p.collection === 'multi') {
                  encoded.forEach(function (v) { query.push(encodeURIComponent(name) + '=' + v); });
                } else {
                  query.push(encodeURIComponent(name) + '=' + encoded.join(separators[p.collection] || ','));
                }
              } else if (p.where === 'header' && p.values.length) {
                headerParameters[name] = p.values.join(',');
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
            Object.keys(headerParameters).forEach(function (name) {
              headers[name] = headerParameters[name];
              curl += ' -H ' + quote(name + ': ' + headerParameters[name]);
            });
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
            var verdict = form.querySelector('.verdict');
            verdict.textContent = '';
            form.removeAttribute('data-status');
            form.removeAttribute('data-verdict');
            fetch(url, init).then(function (response) {
              return response.text().then(function (text) {
                var shown = text;
                var json = null;
                try { json = JSON.parse(text); shown = JSON.stringify(json, null, 2); } catch (e) { }
                status.textContent = response.status + ' ' + response.statusText;
                status.className = 'status ' + (response.ok ? 'status-ok' : 'status-bad');
                form.querySelector('.time').textContent = Math.round(performance.now() - started) + ' ms';
                form.querySelector('.response').textContent = shown;
                fillToken(op, response.ok, json);
                return check(form, op.getAttribute('data-op'), response, text);
              });
            }).catch(function (error) {
              status.textContent = 'no answer: ' + error;
              status.className = 'status status-bad';
              form.setAttribute('data-status', 'error');
            });
          }
          // The verdict comes from the server that served this page (detapi's checks, the console's words); the
          // page never judges an answer itself, and says so when nobody checked it.
          function check(form, operationId, response, text) {
            var verdict = form.querySelector('.verdict');
            var posted = { operationId: operationId, status: response.status, contentType: response.headers.get('Content-Type') || '', body: text };
            return fetch('verdict', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(posted), credentials: 'omit' })
              .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('status ' + r.status)); })
              .then(function (v) {
                verdict.textContent = v.text;
                verdict.className = 'verdict ' + (v.valid ? 'status-ok' : 'status-bad');
                form.setAttribute('data-verdict', v.valid ? 'valid' : 'invalid');
              }, function () {
                verdict.textContent = '· not validated: the server of this page does not check answers (open it from detapi mock, at /docs/rest-api/)';
                verdict.className = 'verdict';
                form.setAttribute('data-verdict', 'unchecked');
              })
              .then(function () { form.setAttribute('data-status', String(response.status)); });
          }
          // An operation that needs no token and answers one (Login) fills the token for the requests after it.
          function fillToken(op, ok, json) {
            if (!ok || !json || op.getAttribute('data-secured') === 'true') { return; }
            var token = typeof json.token === 'string' ? json.token : typeof json.access_token === 'string' ? json.access_token : '';
            if (!token) { return; }
            document.getElementById('token').value = token;
            document.getElementById('token-note').textContent = 'filled from ' + op.getAttribute('data-op') + "'s answer";
          }
          Array.prototype.forEach.call(document.querySelectorAll('button.add'), function (button) {
            button.addEventListener('click', function () {
              var box = button.previousElementSibling;
              var copy = box.querySelector('input').cloneNode(false);
              copy.value = '';
              box.appendChild(copy);
              copy.focus();
            });
          });
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
