/// The Mustache template of the HTML report (see `HTMLReport`): all styling and script inline, nothing fetched.
enum HTMLTemplate {
    static let text = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d232a; }
        h1 { font-size: 20px; margin: 0 0 4px; }
        .meta { color: #57606a; margin-bottom: 16px; }
        .counts span { display: inline-block; margin-right: 16px; font-weight: 600; }
        .passed-count { color: #1a7f37; } .failed-count { color: #cf222e; } .skipped-count { color: #9a6700; }
        details.scenario { margin: 12px 0; border: 1px solid #d0d7de; border-radius: 6px; content-visibility: auto;
          contain-intrinsic-size: auto 40px; }
        details.scenario > summary { padding: 8px 12px; background: #f6f8fa; font-weight: 600; cursor: pointer; }
        details.scenario.failed > summary { background: #ffebe9; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; }
        /* Fixed column widths, so the step columns line up from one scenario's table to the next. */
        col.c-sym { width: 24px; } col.c-name { width: 30%; } col.c-op { width: 20%; } col.c-status { width: 48px; }
        col.c-ms { width: 120px; } col.c-bar { width: 176px; }
        td { overflow-wrap: anywhere; }
        td { padding: 4px 8px; border-top: 1px solid #eaeef2; vertical-align: top; }
        tr.step { cursor: pointer; }
        tr.step:hover, tr.step:focus { background: #f6f8fa; outline: none; }
        .passed .sym { color: #1a7f37; } .failed .sym { color: #cf222e; } .skipped .sym { color: #9a6700; }
        .bar { position: relative; height: 10px; background: #eaeef2; width: 160px; }
        .bar i { position: absolute; top: 0; height: 10px; background: #54aeff; min-width: 1px; }
        tr.failed .bar i { background: #ff8182; }
        .note { color: #57606a; }
        .num { white-space: nowrap; }
        .detail h4 { margin: 8px 0 2px; font-size: 13px; }
        pre { white-space: pre-wrap; word-break: break-all; background: #f6f8fa; padding: 8px; margin: 0; font-size: 12px; }
        pre .mark { background: #ffd8d3; display: inline-block; width: 100%; }
        pre .why { color: #cf222e; font-weight: 600; }
        details.scenario.filtered { display: none; }
        #filter { margin-left: 16px; padding: 2px 6px; }
        table.matrix { width: auto; margin: 8px 0 16px; table-layout: auto; }
        table.matrix th { font-size: 12px; font-weight: 600; padding: 4px 6px; text-align: left; vertical-align: bottom; }
        table.matrix th.check { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
        table.matrix td.cell { text-align: center; width: 22px; padding: 2px; }
        td.cell.passed { color: #1a7f37; } td.cell.failed { color: #cf222e; background: #ffebe9; font-weight: 700; }
        td.cell.known, td.cell.baselined { color: #9a6700; background: #fff8c5; }
        div.interrupted { margin: 8px 0; padding: 8px 12px; border: 1px solid #d4a72c; background: #fff8c5; color: #7d4e00; font-weight: 600; }
        ul.accepted { margin: 4px 0 16px; } ul.accepted li { font-family: ui-monospace, monospace; font-size: 12px; }
        body.failed-only tr.step.passed, body.failed-only tr.step.skipped, body.failed-only details.ok { display: none; }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        <div class="meta">master {{master}} · spec {{spec}}{{#shard}} · shard {{shard}}{{/shard}} · {{generated}}</div>
        {{#overlayText}}<div class="meta">overlays applied: {{overlayText}}</div>{{/overlayText}}
        {{#interrupted}}<div class="interrupted" id="interrupted" role="alert">{{interrupted}}</div>{{/interrupted}}
        {{#partial}}<div class="interrupted" id="partial" role="alert">{{partial}}</div>{{/partial}}
        <div class="counts" id="summary">
        <span class="passed-count" id="passed">{{passed}} passed</span>
        <span class="failed-count" id="failed">{{failed}} failed</span>
        <span class="skipped-count" id="skipped">{{skipped}} skipped</span>
        <span id="duration">{{total}} steps in {{scenarioCount}} scenarios, {{seconds}} s</span>
        <label><input type="checkbox" id="failed-only"> failed only</label>
        <input type="search" id="filter" placeholder="filter by scenario or file" aria-label="filter scenarios">
        </div>
        {{#conform}}
        <h2>Coverage</h2>
        <div class="meta">{{summary}}</div>
        <table class="matrix" id="coverage"><thead><tr><th>operation</th><th>requests</th><th>statuses seen</th><th>documented</th>{{#checks}}<th class="check" title="{{summary}}">{{name}}</th>{{/checks}}</tr></thead>
        <tbody>{{#rows}}<tr><td>{{id}}</td><td class="num">{{requests}}</td><td>{{statuses}}</td><td class="note">{{documented}}</td>{{#cells}}<td class="cell {{state}}" title="{{check}}: {{state}}">{{symbol}}</td>{{/cells}}</tr>{{/rows}}</tbody></table>
        <div class="meta">✓ passed · ✗ failed · K known master bug · B baselined · blank: not applicable</div>
        {{#hasAccepted}}<h3>Accepted findings (reported, not failing the run)</h3><ul class="accepted">{{#accepted}}<li>{{operation}}: {{text}}</li>{{/accepted}}</ul>{{/hasAccepted}}
        {{#hasStale}}<h3>Baseline entries no longer found</h3><ul class="accepted">{{#stale}}<li>{{text}}</li>{{/stale}}</ul>{{/hasStale}}
        {{/conform}}
        {{#scenarios}}
        <details class="scenario {{#failed}}failed{{/failed}}{{^failed}}ok{{/failed}}" data-name="{{name}} {{file}}" data-first="{{first}}" data-count="{{steps}}" data-span="{{span}}"{{#open}} open{{/open}}>
        <summary>{{symbol}} {{name}} <span class="note">{{file}} · {{steps}} steps · {{ms}} ms{{#skippedReason}} · skipped: {{skippedReason}}{{/skippedReason}}</span></summary>
        <table><colgroup><col class="c-sym"><col class="c-name"><col class="c-op"><col class="c-status"><col class="c-ms"><col class="c-bar"><col class="c-note"></colgroup></table>
        </details>
        {{/scenarios}}
        <script type="application/json" id="details">{{{details}}}</script>
        <script>
        (function () {
          // Steps are rows built when their scenario is opened (failed ones, and all of a small run, open on
          // load), and details when a row is clicked: a report of thousands of steps opens like a small one.
          var all = JSON.parse(document.getElementById('details').textContent);
          var details = all.steps, S = all.strings;
          var SYMBOL = { passed: '\u2713', failed: '\u2717', skipped: '\u21b7' };
          document.getElementById('failed-only').addEventListener('change', function (e) {
            document.body.classList.toggle('failed-only', e.target.checked);
          });
          document.getElementById('filter').addEventListener('input', function (e) {
            var text = e.target.value.toLowerCase();
            document.querySelectorAll('details.scenario').forEach(function (d) {
              d.classList.toggle('filtered', text !== '' && d.dataset.name.toLowerCase().indexOf(text) < 0);
            });
          });
          function el(tag, cls, text) {
            var e = document.createElement(tag);
            if (cls) e.className = cls;
            if (text !== undefined) e.textContent = text;
            return e;
          }
          function block(parent, label, text) {
            parent.appendChild(el('h4', '', label));
            parent.appendChild(el('pre', '', text));
          }
          function texts(list) { return list.map(function (i) { return S[i]; }).join('\n'); }
          // Pretty-prints JSON text line by line, keeping each value's JSON pointer so schema errors can be
          // marked where they are; numbers keep their exact text. Throws on anything that is not whole JSON.
          function prettyLines(text) {
            var i = 0, lines = [], cur = null;
            function line(depth, ptr) { cur = { d: depth, t: '', p: ptr }; lines.push(cur); }
            function ws() { while (i < text.length && ' \t\r\n'.indexOf(text[i]) >= 0) i++; }
            function string() {
              var s = i++;
              while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
              if (i >= text.length) throw new Error('cut');
              i++;
              return text.slice(s, i);
            }
            function scalar() {
              var s = i;
              while (i < text.length && ',]}: \t\r\n'.indexOf(text[i]) < 0) i++;
              if (s === i) throw new Error('bad');
              return text.slice(s, i);
            }
            function value(depth, ptr) {
              ws();
              var c = text[i];
              if (c === '{' || c === '[') {
                var close = c === '{' ? '}' : ']';
                i++; cur.t += c; ws();
                if (text[i] === close) { i++; cur.t += close; return; }
                for (var n = 0; ; n++) {
                  ws();
                  if (close === '}') {
                    var key = string();
                    var p = ptr + '/' + JSON.parse(key).replace(/~/g, '~0').replace(/\//g, '~1');
                    line(depth + 1, p); cur.t += key + ': ';
                    ws(); if (text[i] !== ':') throw new Error('bad'); i++;
                    value(depth + 1, p);
                  } else {
                    line(depth + 1, ptr + '/' + n);
                    value(depth + 1, ptr + '/' + n);
                  }
                  ws();
                  if (text[i] === ',') { i++; cur.t += ','; continue; }
                  if (text[i] !== close) throw new Error('bad');
                  i++; line(depth, null); cur.t += close;
                  return;
                }
              }
              cur.t += c === '"' ? string() : scalar();
            }
            line(0, '');
            value(0, '');
            ws();
            if (i < text.length) throw new Error('bad');
            return lines;
          }
          function bodyBlock(parent, body, d) {
            var label = 'response body' + (d.truncated ? ' (cut: the report keeps the first ' + body.length + ' characters)' : '');
            parent.appendChild(el('h4', '', label));
            var pre = el('pre');
            var marks = Object.create(null);
            d.violations.forEach(function (v) { (marks[S[v[0]]] = marks[S[v[0]]] || []).push(S[v[1]]); });
            var lines = null;
            try { lines = prettyLines(body); } catch (e) { lines = null; }
            if (!lines) { pre.textContent = body; parent.appendChild(pre); return; }
            lines.forEach(function (l) {
              var text = '  '.repeat(l.d) + l.t;
              var why = l.p !== null && marks[l.p];
              var span = el('span', why ? 'mark' : '', text);
              if (why) { span.appendChild(el('span', 'why', '   ← ' + why.join('; '))); delete marks[l.p]; }
              pre.appendChild(span);
              pre.appendChild(document.createTextNode('\n'));
            });
            parent.appendChild(pre);
          }
          function toggle(row) {
            var next = row.nextElementSibling;
            if (next && next.classList.contains('detail')) { next.remove(); return; }
            var d = details[Number(row.dataset.index)];
            var tr = el('tr', 'detail'), td = el('td');
            td.colSpan = 7;
            block(td, 'request', S[d.request] + (d.reqHeaders.length ? '\n' + texts(d.reqHeaders) : '') + (S[d.reqBody] ? '\n\n' + S[d.reqBody] : ''));
            if (d.failures.length) block(td, 'failures', texts(d.failures));
            if (d.accepted && d.accepted.length) block(td, 'accepted findings (not failing the run)', texts(d.accepted));
            if (d.violations.length) block(td, 'schema errors', d.violations.map(function (v) { return (S[v[0]] || '(root)') + ': ' + S[v[1]]; }).join('\n'));
            if (d.resHeaders.length) block(td, 'response headers', texts(d.resHeaders));
            if (S[d.body]) bodyBlock(td, S[d.body], d);
            if (S[d.curl]) block(td, 'repro', S[d.curl]);
            tr.appendChild(td);
            row.parentNode.insertBefore(tr, row.nextSibling);
          }
          document.addEventListener('click', function (e) {
            var row = e.target.closest && e.target.closest('tr.step');
            if (row) toggle(row);
          });
          function cell(tr, cls, text) { tr.appendChild(el('td', cls, text)); }
          function fill(section) {
            var table = section.querySelector('table');
            if (table.rows.length) return;
            var first = Number(section.dataset.first), count = Number(section.dataset.count);
            var span = Number(section.dataset.span);
            for (var i = first; i < first + count; i++) {
              var d = details[i];
              var tr = el('tr', 'step ' + d.kind);
              tr.dataset.index = i; tr.tabIndex = 0;
              cell(tr, 'sym', SYMBOL[d.kind]);
              cell(tr, '', S[d.name]);
              cell(tr, '', S[d.operation]);
              cell(tr, 'num', d.status === null ? '\u2014' : String(d.status));
              cell(tr, 'num', d.ms.toFixed(1) + ' ms' + (d.attempts > 1 ? ' (' + d.attempts + ' tries)' : ''));
              var bar = el('div', 'bar'), mark = el('i');
              bar.title = 'starts ' + d.start.toFixed(1) + ' ms into the scenario';
              mark.style.left = Math.min(99.5, d.start / span * 100) + '%';
              mark.style.width = Math.max(0.5, d.ms / span * 100) + '%';
              bar.appendChild(mark);
              var td = el('td'); td.appendChild(bar); tr.appendChild(td);
              cell(tr, 'note', S[d.note]);
              table.appendChild(tr);
            }
          }
          document.querySelectorAll('details.scenario[open]').forEach(fill);
          document.addEventListener('toggle', function (e) {
            if (e.target.matches && e.target.matches('details.scenario') && e.target.open) fill(e.target);
          }, true);
          document.addEventListener('keydown', function (e) {
            if (e.key === 'Enter' && e.target.matches && e.target.matches('tr.step')) toggle(e.target);
          });
          // The first failures are opened on load, so the report shows what went wrong without a click.
          Array.prototype.slice.call(document.querySelectorAll('tr.step.failed'), 0, {{openFailures}}).forEach(toggle);
          // When the page was ready, in ms after navigation started (bench/html.sh reads it).
          document.body.dataset.readyMs = Math.round(performance.now());
        })();
        </script>
        </body>
        </html>
        """#
}
