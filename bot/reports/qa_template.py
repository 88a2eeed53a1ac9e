"""The `assist-bot qa` report's Jinja2 template: counts first, then the tests (failed first), each
with every attempt: its outcome, time, message, steps (time, duration, screenshot), kept evidence."""

HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ASSIST portal QA</title>
<style>
 body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1d2330; }
 h1 { font-size: 1.5em; margin-bottom: .2em; } .meta { color: #5a6275; }
 table { border-collapse: collapse; margin: .6em 0; } a { color: #1f4fa3; }
 th, td { border-bottom: 1px solid #d9dde6; padding: .35em .6em; text-align: left; vertical-align: top; }
 th { background: #f2f4f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
 .s { display: inline-block; padding: .1em .55em; border-radius: .8em; font-weight: 600; font-size: .9em; }
 .passed { background: #dcf5e3; color: #17622f; } .failed, .error { background: #fde0e0; color: #8c1d1d; }
 .flaky, .running { background: #fff1cc; color: #7a5200; } .skipped { background: #e6ecf7; color: #2b4a80; }
 .count { font-size: 1.15em; margin-right: .4em; } section { border: 1px solid #d9dde6; border-radius: 6px;
 padding: .2em 1em .8em; margin: 1em 0; } section h2 { font-size: 1.1em; }
 .attempt { border-left: 4px solid #d9dde6; padding-left: .8em; margin: .8em 0; }
 .attempt.a-failed, .attempt.a-error { border-color: #e6a3a3; } .attempt.a-passed { border-color: #9ad3ab; }
 p.message { white-space: pre-wrap; font-weight: 600; } figure { margin: .5em 0; } figcaption { color: #5a6275; }
 pre { white-space: pre-wrap; max-width: 75em; background: #f7f8fa; padding: .5em; }
 img.thumb { width: 240px; border: 1px solid #d9dde6; } img.shot { max-width: 640px; border: 1px solid #d9dde6; }
</style></head><body>
<h1>ASSIST portal QA</h1>
<p>{% for status, n in r.counts.items() if n %}<span class="s {{ status }} count">{{ n }} {{ labels[status] }}{{ "s" if status == "error" and n != 1 }}</span>{% endfor %}
{% if r.reruns %}<span class="count">{{ r.reruns }} rerun{{ "s" if r.reruns != 1 }}</span>{% endif %}</p>
<p class="meta">{{ r.summary() }} · generated {{ r.generated.strftime("%Y-%m-%d %H:%M") }} ·
 <a href="{{ junit }}">JUnit XML</a> · traces open with <code>playwright show-trace trace.zip</code></p>
<table><thead><tr><th>outcome</th><th>test</th><th class="num">attempts</th><th class="num">time</th></tr></thead><tbody>
{% for c in r.cases %}<tr><td><span class="s {{ c.status }}">{{ labels[c.status] if c.status == "flaky" else c.status }}</span></td>
 <td><a href="#{{ c.anchor }}">{{ c.name }}</a> <span class="meta">{{ c.classname }}</span></td>
 <td class="num">{{ c.attempts | length }}</td><td class="num">{{ "%.1f" | format(c.seconds) }} s</td></tr>
{% endfor %}</tbody></table>
{% for c in r.cases %}
<section id="{{ c.anchor }}"><h2><span class="s {{ c.status }}">{{ labels[c.status] if c.status == "flaky" else c.status }}</span>
 {{ c.name }} <span class="meta">{{ c.classname }} · {{ "%.1f" | format(c.seconds) }} s</span></h2>
{% if c.message and c.status != "flaky" %}<pre>{{ c.message }}</pre>{% endif %}
{% for a in c.attempts %}
<details class="attempt a-{{ a.outcome }}" {% if c.status != "passed" %}open{% endif %}>
<summary><b>Attempt {{ a.number }}</b>: <span class="s {{ a.outcome }}">{{ a.outcome }}</span>
{% if a.rerun %}(rerun){% endif %} · {{ "%.1f" | format(a.seconds) }} s{% if a.outcome not in ("passed", "running") %} · in {{ a.phase }}{% endif %}</summary>
{% if a.message %}<p class="message">{{ a.message }}</p>{% endif %}
{% if a.details and a.outcome in ("failed", "error") %}<details><summary>traceback</summary><pre>{{ a.details }}</pre></details>{% endif %}
{% for e in a.evidence %}
<p class="meta">employer {{ e.employer }}</p>
{% if e.steps %}<table><thead><tr><th class="num">#</th><th>step</th><th>at</th><th class="num">took</th>
<th class="num">since start</th><th>screenshot</th></tr></thead><tbody>
{% for s in e.steps %}<tr><td class="num">{{ loop.index }}</td><td>{{ s.name }}</td><td>{{ s.at }}</td>
 <td class="num">{{ "%.2f" | format(s.seconds) }} s</td><td class="num">{{ "%.2f" | format(s.offset_seconds) }} s</td>
 <td>{% if s.screenshot %}<a href="{{ s.screenshot }}"><img class="thumb" src="{{ s.screenshot }}" alt="{{ s.name }}"></a>{% endif %}</td></tr>
{% endfor %}</tbody></table>{% endif %}
{% for name, shot in e.shots %}<figure><a href="{{ shot }}"><img class="shot" src="{{ shot }}" alt="{{ name }}"></a>
<figcaption>{{ name }}</figcaption></figure>{% endfor %}
{% if e.drift and e.drift != "no drift" %}<pre>{{ e.drift }}</pre>{% endif %}
{% for v in e.videos %}<p><video controls width="480" src="{{ v }}"></video><br><a href="{{ v }}">video</a></p>{% endfor %}
{% if e.files %}<p>{% for name, link in e.files %}<a href="{{ link }}">{{ name }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</p>{% endif %}
{% endfor %}
</details>
{% else %}<p class="meta">no evidence recorded for this test</p>
{% endfor %}
</section>{% endfor %}
</body></html>
"""
