/// The Mustache template of the HTML report (see `HTMLReport`): all styling and script inline.
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
        section { margin: 20px 0; border: 1px solid #d0d7de; border-radius: 6px; }
        section > header { padding: 8px 12px; background: #f6f8fa; font-weight: 600; }
        section.failed > header { background: #ffebe9; }
        table { width: 100%; border-collapse: collapse; }
        td { padding: 4px 8px; border-top: 1px solid #eaeef2; vertical-align: top; }
        tr.step { cursor: pointer; }
        tr.step:hover { background: #f6f8fa; }
        .passed .sym { color: #1a7f37; } .failed .sym { color: #cf222e; } .skipped .sym { color: #9a6700; }
        .bar { position: relative; height: 10px; background: #eaeef2; width: 160px; }
        .bar i { position: absolute; top: 0; height: 10px; background: #54aeff; }
        tr.failed .bar i { background: #ff8182; }
        .note { color: #57606a; }
        pre { white-space: pre-wrap; word-break: break-all; background: #f6f8fa; padding: 8px; margin: 4px 0; }
        body.failed-only tr.step.passed, body.failed-only tr.step.skipped, body.failed-only section.ok { display: none; }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        <div class="meta">master {{master}} · spec {{spec}} · {{generated}}</div>
        <div class="counts" id="summary">
        <span class="passed-count" id="passed">{{passed}} passed</span>
        <span class="failed-count" id="failed">{{failed}} failed</span>
        <span class="skipped-count" id="skipped">{{skipped}} skipped</span>
        <span id="duration">{{total}} steps in {{seconds}} s</span>
        <label><input type="checkbox" id="failed-only"> failed only</label>
        </div>
        {{#scenarios}}
        <section class="{{#failed}}failed{{/failed}}{{^failed}}ok{{/failed}}">
        <header>{{name}} <span class="note">{{file}}{{#skippedReason}} · skipped: {{skippedReason}}{{/skippedReason}}</span></header>
        <table>
        {{#rows}}
        <tr class="step {{kind}}" data-index="{{index}}">
        <td class="sym">{{symbol}}</td><td>{{name}}</td><td>{{operation}}</td><td>{{status}}</td><td>{{ms}} ms</td>
        <td><div class="bar"><i style="left:{{left}}%;width:{{width}}%"></i></div></td>
        <td class="note">{{note}}</td>
        </tr>
        {{/rows}}
        </table>
        </section>
        {{/scenarios}}
        <script type="application/json" id="details">{{{details}}}</script>
        <script>
        (function () {
          var details = JSON.parse(document.getElementById('details').textContent);
          document.getElementById('failed-only').addEventListener('change', function (e) {
            document.body.classList.toggle('failed-only', e.target.checked);
          });
          function block(label, text) {
            var div = document.createElement('div');
            var b = document.createElement('b'); b.textContent = label; div.appendChild(b);
            var pre = document.createElement('pre'); pre.textContent = text; div.appendChild(pre);
            return div;
          }
          document.querySelectorAll('tr.step').forEach(function (row) {
            row.addEventListener('click', function () {
              var next = row.nextElementSibling;
              if (next && next.classList.contains('detail')) { next.remove(); return; }
              var d = details[Number(row.dataset.index)];
              var tr = document.createElement('tr'); tr.className = 'detail';
              var td = document.createElement('td'); td.colSpan = 7;
              td.appendChild(block('request', d.request));
              if (d.failures.length) td.appendChild(block('failures', d.failures.join('\n')));
              if (d.violations.length) td.appendChild(block('schema errors', d.violations.join('\n')));
              td.appendChild(block('repro', d.curl));
              if (d.body) td.appendChild(block('response body (first 2 KB)', d.body));
              tr.appendChild(td);
              row.parentNode.insertBefore(tr, row.nextSibling);
            });
          });
        })();
        </script>
        </body>
        </html>
        """#
}
