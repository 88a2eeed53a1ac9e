"""The HTML run report's Jinja2 template: one self-contained page (styles inline, screenshots embedded)."""

HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>assist-bot run report {{ r.month }}{% if r.dry_run %} (dry run){% endif %}</title>
<style>
 body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1d2330; }
 h1 { font-size: 1.5em; margin-bottom: .2em; } .meta { color: #5a6275; }
 table { border-collapse: collapse; width: 100%; margin: 1em 0; }
 th, td { border-bottom: 1px solid #d9dde6; padding: .45em .6em; text-align: left; vertical-align: top; }
 th { background: #f2f4f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
 .s { display: inline-block; padding: .1em .55em; border-radius: .8em; font-weight: 600; font-size: .9em; }
 .done { background: #dcf5e3; color: #17622f; } .failed { background: #fde0e0; color: #8c1d1d; }
 .needs-human, .unknown-outcome { background: #fff1cc; color: #7a5200; }
 .queued, .running, .skipped { background: #e6ecf7; color: #2b4a80; }
 .risk { color: #8c1d1d; font-weight: 600; } .box { border: 1px solid #d9dde6; border-radius: 6px; padding: 1em; margin: 1em 0; }
 .box h3 { margin-top: 0; } img.shot { max-width: 640px; border: 1px solid #d9dde6; }
 .banner { background: #fde0e0; border: 1px solid #e6a3a3; padding: .8em 1em; border-radius: 6px; }
</style></head><body>
<h1>PERKESO contributions {{ r.month }}{% if r.dry_run %} — dry run{% endif %}</h1>
<p class="meta">{{ r.summary() }}<br>Due by {{ r.due.strftime("%A %d %B %Y") }} ·
 generated {{ r.generated.strftime("%Y-%m-%d %H:%M") }} by assist-bot</p>
{% if r.breaker %}<p class="banner"><b>Run stopped by the circuit breaker:</b> {{ r.breaker }}</p>{% endif %}
{% if r.overdue %}<p class="risk">Overdue (the {{ r.due.strftime("%d %B %Y") }} deadline has passed): {{ r.overdue | map(attribute="name") | join(", ") }}</p>{% endif %}
{% if r.at_risk %}<p class="risk">At risk of missing the deadline: {{ r.at_risk | map(attribute="name") | join(", ") }}</p>{% endif %}
{% if r.needs_a_person %}<div class="box"><h3>Needs a person first ({{ r.needs_a_person | length }})</h3><ol>
{% for e in r.needs_a_person %}<li><b>{{ e.name }}</b> <span class="s {{ e.status }}">{{ e.status }}</span> at {{ e.step or "start" }}:
 {{ e.next_action or e.detail }}</li>{% endfor %}</ol></div>{% endif %}
{% set t = r.totals_sen %}
<table><thead><tr><th>Employer</th><th>Code</th><th>Status</th><th>Step</th><th class="num">Employees</th>
<th class="num">SOCSO (RM)</th><th class="num">EIS (RM)</th><th class="num">SKBBK (RM)</th>
<th class="num">Amount (RM)</th><th class="num">Paid (RM)</th><th class="num">Outstanding (RM)</th>
<th>References</th><th>Files</th><th>Evidence</th></tr></thead><tbody>
{% for e in r.employers %}<tr>
 <td>{{ e.name }}{% if e.overdue %} <span class="risk" title="not done and the deadline has passed">⚠ overdue</span>{% elif e.at_risk %} <span class="risk" title="not done and the deadline is near">⚠ deadline</span>{% endif %}</td>
 <td>{{ e.code }}</td><td><span class="s {{ e.status }}">{{ e.status }}</span></td><td>{{ e.step }}</td>
 <td class="num">{{ e.employees if e.employees is not none else "" }}</td>
 <td class="num">{{ rm(e.totals_sen.get("socso")) }}</td><td class="num">{{ rm(e.totals_sen.get("eis")) }}</td>
 <td class="num">{{ rm(e.totals_sen.get("skbbk")) }}</td>
 <td class="num">{{ rm(e.amount_sen) }}</td><td class="num">{{ rm(e.paid_sen if e.amount_sen is not none else none) }}</td>
 <td class="num">{{ rm(e.outstanding_sen) }}</td>
 <td>{% for k, v in e.references.items() %}{{ k }}: <b>{{ v }}</b><br>{% endfor %}</td>
 <td>{% for f in e.files %}<a href="{{ link(f) }}">{{ f.name }}</a><br>{% endfor %}</td>
 <td>{% if e.evidence %}<a href="{{ link(e.evidence) }}">folder</a>{% endif %}</td>
</tr>{% endfor %}
</tbody><tfoot><tr><th colspan="5">Total ({{ r.employers | length }} employers)</th>
 <th class="num">{{ rm(t.socso) }}</th><th class="num">{{ rm(t.eis) }}</th><th class="num">{{ rm(t.skbbk) }}</th>
 <th class="num">{{ rm(t.total) }}</th><th class="num">{{ rm(t.paid) }}</th><th class="num">{{ rm(t.outstanding) }}</th>
 <th colspan="3"></th></tr></tfoot></table>
{% for e in r.employers if e.needs_attention %}
<div class="box"><h3>{{ e.name }} ({{ e.code }}): <span class="s {{ e.status }}">{{ e.status }}</span> at {{ e.step or "start" }}</h3>
<p><b>Reason:</b> {{ e.detail }}</p>
{% if e.next_action %}<p><b>Next action:</b> {{ e.next_action }}</p>{% endif %}
<p class="meta">Workflow {{ e.workflow_id }} (attempt {{ e.attempt }}) ·
{% for s in e.steps %}{{ s.step }}: {{ s.status }}{% if not loop.last %} → {% endif %}{% endfor %}</p>
{% if e.failure_screenshot %}<img class="shot" alt="the page when {{ e.name }} failed" src="{{ embed(e.failure_screenshot) }}">
<p class="meta">Trace: <a href="{{ link(e.failure_screenshot.parent) }}">{{ e.failure_screenshot.parent }}</a>
(<code>playwright show-trace trace.zip</code>)</p>{% endif %}
</div>{% endfor %}
<h2>Steps</h2>
<table><thead><tr><th>Employer</th><th>Step</th><th>Status</th><th>Detail</th></tr></thead><tbody>
{% for e in r.employers %}{% for s in e.steps %}<tr><td>{{ e.name }}</td><td>{{ s.step }}</td>
<td><span class="s {{ s.status }}">{{ s.status }}</span></td><td>{{ s.detail }}</td></tr>{% endfor %}{% endfor %}
</tbody></table>
</body></html>
"""
