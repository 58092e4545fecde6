/** The console's one stylesheet (served at /console/assets/console.css). Colours meet WCAG AA contrast. */
export const CONSOLE_CSS = `
:root{--fg:#1f2328;--muted:#57606a;--bg:#f6f8fa;--card:#fff;--line:#d0d7de;--accent:#0a58ca;--ok:#116329;--okbg:#dafbe1;--warn:#7d4e00;--warnbg:#fff8c5;--bad:#a40e26;--badbg:#ffebe9;--info:#0a3069;--infobg:#ddf4ff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{display:flex;align-items:center;gap:24px;padding:8px 24px;background:#24292f;color:#fff}
.top .brand{font-weight:700}
.top nav ul{display:flex;gap:4px;list-style:none;margin:0;padding:0}
.top nav a{color:#fff;text-decoration:none;padding:6px 10px;border-radius:6px;display:block}
.top nav a[aria-current=page]{background:#57606a}
.top nav a:hover,.top nav a:focus{background:#424a53}
.signout{margin-left:auto}
.signout button{background:transparent;color:#fff;border-color:#8c959f}
main{padding:16px 24px;max-width:1400px;margin:0 auto}
h1{font-size:22px;margin:4px 0 16px}h2{font-size:17px;margin:0 0 10px}h3{font-size:15px;margin:0 0 8px}h4,h5{margin:8px 0 4px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-bottom:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px;margin-bottom:16px}
.grid .card{margin:0}.grid .wide{grid-column:1/-1;margin:0}
.stat .big{font-size:28px;font-weight:600;margin:0 0 8px}.stat .big span{font-size:14px;font-weight:400;color:var(--muted)}
table{border-collapse:collapse;width:100%;background:var(--card);margin-bottom:16px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:#eaeef2;font-weight:600}
caption{text-align:left;padding:4px 0;color:var(--muted)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.hint{color:var(--muted);font-size:13px}
.alerting{background:#fff8e1;border-left:3px solid #b7791f;padding:6px 10px;margin:6px 0}
.error-text{color:var(--bad);word-break:break-word}
.badge{display:inline-block;padding:1px 8px;margin:1px 4px 1px 0;border-radius:10px;font-size:12px;font-weight:600;background:#eaeef2;color:var(--fg);white-space:nowrap}
.badge.delivered,.badge.up,.badge.yes{background:var(--okbg);color:var(--ok)}
.badge.pending,.badge.retrying,.badge.retry,.badge.starting,.badge.standby{background:var(--warnbg);color:var(--warn)}
.badge.dead,.badge.down{background:var(--badbg);color:var(--bad)}
.badge.sync-in_sync,.badge.sync-created,.badge.sync-updated{background:var(--okbg);color:var(--ok)}
.badge.sync-failed{background:var(--badbg);color:var(--bad)}
.badge.slack,.badge.http,.badge.email,.badge.kafka,.badge.file,.badge.console{background:var(--infobg);color:var(--info)}
button,.button{font:inherit;padding:5px 12px;border:1px solid var(--line);border-radius:6px;background:#f3f4f6;color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
button[type=submit]{background:#1f6feb;border-color:#1a5fcc;color:#fff}
.signout button[type=submit]{background:transparent;border-color:#8c959f}
.button{background:#1f6feb;border-color:#1a5fcc;color:#fff}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #0969da;outline-offset:1px}
input,select{height:32px}
input,select,textarea{font:inherit;padding:5px 8px;border:1px solid #8c959f;border-radius:6px;background:#fff;color:var(--fg)}
textarea{width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;margin:4px 0 8px}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}
.field{display:flex;flex-direction:column;gap:2px}.field label{font-size:12px;color:var(--muted);font-weight:600}
.actions{display:flex;gap:8px;align-items:center}
.inline{display:inline}.inline-fields{display:flex;gap:8px;align-items:center;margin-bottom:10px}
.login{max-width:380px;display:flex;flex-direction:column;gap:8px}
.flash{padding:8px 12px;border-radius:6px;background:var(--okbg);color:var(--ok)}.flash.error{background:var(--badbg);color:var(--bad)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 8px}.facts dt{color:var(--muted)}.facts dd{margin:0;word-break:break-all}
.code{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;max-height:420px;font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;word-break:break-word;margin:4px 0}
.message{margin:0}.message dt{font-weight:600;margin-top:6px}.message dd{margin:0}
.delivery h3 .badge{vertical-align:middle}
.timeline caption{font-weight:600;color:var(--fg)}
details summary{cursor:pointer;font-weight:600;margin:6px 0}
.pager{display:flex;gap:16px}
.live{display:flex;gap:12px;align-items:center}
#live-toggle[aria-pressed=true]{background:var(--okbg);color:var(--ok);border-color:var(--ok)}
tr.new td{animation:flash 2s ease-out}@keyframes flash{from{background:var(--warnbg)}to{background:transparent}}
.chart figcaption{font-size:13px;color:var(--muted);margin-bottom:6px}.chart{margin:0}.plot{min-height:200px}
.route-result{border-top:1px solid var(--line);padding-top:8px}
`;
