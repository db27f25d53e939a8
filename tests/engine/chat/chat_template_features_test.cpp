// Each feature of the template language against the output Python's jinja2 gives for the same
// source and context in HF's environment (trim_blocks, lstrip_blocks, HF's tojson).
#include <gtest/gtest.h>

#include "render_text.h"

namespace assistd::chat {
namespace {

struct Case {
    const char* source;
    const char* context;
    const char* expected;
};

void expect_renders(std::initializer_list<Case> cases) {
    for (const Case& c : cases)
        EXPECT_EQ(testing::render_text(c.source, c.context), c.expected) << c.source;
}

TEST(ChatTemplateFeatures, Expressions) {
    expect_renders({
        {"{{ 1 + 2 * 3 }}|{{ (1 + 2) * 3 }}|{{ 7 // 2 }}|{{ -7 // 2 }}|{{ 7 % 3 }}|{{ -7 % 3 }}|{{ "
         "2 ** 10 }}|{{ 7 / 2 }}",
         "{}", "7|9|3|-4|1|2|1024|3.5"},
        {"{{ 'a' ~ 1 ~ none ~ true }}|{{ 'ab' * 3 }}|{{ [1, 2] + [3] }}|{{ 0.1 + 0.2 }}|{{ 1.0 "
         "}}|{{ 1e20 }}",
         "{}", "a1NoneTrue|ababab|[1, 2, 3]|0.30000000000000004|1.0|1e+20"},
        {"{{ 1 == 1.0 }}|{{ 'a' < 'b' }}|{{ 2 >= 3 }}|{{ 'ell' in 'hello' }}|{{ 3 not in [1, 2] "
         "}}|{{ 'k' in {'k': 1} }}",
         "{}", "True|True|False|True|True|True"},
        {"{{ not true or false and true }}|{{ none or 'fallback' }}|{{ 0 and 1 }}|{{ 'yes' if 1 > "
         "0 else 'no' }}|[{{ 'x' if false }}]",
         "{}", "False|fallback|0|yes|[]"},
        {"{{ [1, 2, 3][-1] }}|{{ 'héllo'[1] }}|{{ 'hello'[::-1] }}|{{ [1, 2, 3, 4, 5][1:4:2] }}|{{ "
         "'你好世界'[1:3] }}|{{ [1,2,3][5:] }}",
         "{}", "3|é|olleh|[2, 4]|好世|[]"},
        {"{{ {'a': {'b': [10, 20]}}.a.b[1] }}|{{ d['key'] }}|{{ d.key }}|{{ d.missing is defined "
         "}}",
         "{\"d\": {\"key\": \"v\"}}", "20|v|v|False"},
        {"{{ ['a', 1, none, true, 1.5, {'k': 'it\\'s'}] }}|{{ {'x': [1]} }}", "{}",
         "['a', 1, None, True, 1.5, {'k': \"it's\"}]|{'x': [1]}"},
    });
}

TEST(ChatTemplateFeatures, Statements) {
    expect_renders({
        {"{% for x in items %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ "
         "loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}",
         "{\"items\": [\"a\", \"b\", \"c\"]}",
         "1/0/3/2/True/False/3;2/1/2/1/False/False/3;3/2/1/0/False/True/3;"},
        {"{% for x in items %}{{ loop.previtem | default('-') }}>{{ x }}>{{ loop.nextitem | "
         "default('-') }} {% endfor %}",
         "{\"items\": [1, 2, 3]}", "->1>2 1>2>3 2>3>- "},
        {"{% for x in items if x is odd %}{{ x }}{{ ',' if not loop.last }}{% endfor %}|{% for x "
         "in [] %}x{% else %}empty{% endfor %}",
         "{\"items\": [1, 2, 3, 4, 5]}", "1,3,5|empty"},
        {"{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break "
         "%}{% endif %}{{ x }}{% endfor %}",
         "{}", "0134"},
        {"{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for k in d %}{{ k }}{% endfor "
         "%}",
         "{\"d\": {\"b\": 1, \"a\": 2}}", "b=1;a=2;ba"},
        {"{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}", "{}",
         "23|1"},
        {"{% set ns = namespace(total=0, seen=[]) %}{% for i in [1, 2, 3] %}{% set ns.total = "
         "ns.total + i %}{% endfor %}{{ ns.total }}",
         "{}", "6"},
        {"{% if n > 1 %}many{% elif n == 1 %}one{% else %}none{% endif %}", "{\"n\": 1}", "one"},
        {"{% set a, b = 1, 2 %}{{ a }}{{ b }}|{% set block %}  inner {{ 1 + 1 }}  {% endset %}[{{ "
         "block }}]|{% filter upper %}shout{% endfilter %}",
         "{}", "12|[  inner 2  ]|SHOUT"},
        {"{% macro greet(name, punct='!') %}Hello {{ name }}{{ punct }}{% endmacro %}{{ greet('A') "
         "}} {{ greet('B', punct='?') }} {{ greet(name='C') }}",
         "{}", "Hello A! Hello B? Hello C!"},
        {"{% macro depth(n) %}{% if n > 0 %}{{ n }}{{ depth(n - 1) }}{% endif %}{% endmacro %}{{ "
         "depth(4) }}",
         "{}", "4321"},
        {"{% set v = 'outer' %}{% macro show() %}{{ v }}{% endmacro %}{% for i in [1] %}{% set v = "
         "'loop' %}{{ show() }}{% endfor %}",
         "{}", "outer"},
    });
}

TEST(ChatTemplateFeatures, Whitespace) {
    expect_renders({
        {"<ul>\n  {% for x in [1, 2] %}\n    <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n", "{}",
         "<ul>\n    <li>1</li>\n    <li>2</li>\n</ul>"},
        {"a   {%- if true -%}   b   {%- endif -%}   c|  {{- 'x' -}}  |{# note #}\n  {#- c -#}  d",
         "{}", "abc|x|d"},
        {"  {%+ if true %}kept{% endif %}\nline {% if true +%}\nnext{% endif %}", "{}",
         "  keptline \nnext"},
        {"text\r\nwith CRLF\n{% if true %}\nx\n{% endif %}\n", "{}", "text\nwith CRLF\nx\n"},
    });
}

TEST(ChatTemplateFeatures, Filters) {
    expect_renders({
        {"{{ '  pad  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ 'Hello' | upper }}{{ 'Hello' | "
         "lower }}|{{ 'hELLO wORLD' | capitalize }}|{{ 'hello big-world (x)' | title }}",
         "{}", "pad|hi|HELLOhello|Hello world|Hello Big-World (X)"},
        {"{{ 'a-b-c' | replace('-', '+') }}|{{ 'aaa' | replace('a', 'b', 2) }}|{{ [1, 2, 3] | "
         "join(', ') }}|{{ users | join('/', attribute='name') }}",
         "{\"users\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}", "a+b+c|bba|1, 2, 3|x/y"},
        {"{{ [3, 1, 2] | first }}{{ [3, 1, 2] | last }}{{ 'abc' | first }}|{{ 'ab' | list }}|{{ "
         "[1, 1, 'A', 'a', 2] | unique | list }}|{{ [1, 2] | length }}{{ '你好' | length }}{{ "
         "{'a': 1} | count }}",
         "{}", "32a|['a', 'b']|[1, 'A', 2]|221"},
        {"{{ users | selectattr('admin') | map(attribute='name') | list }}|{{ users | "
         "rejectattr('admin') | map(attribute='name') | join }}|{{ users | selectattr('name', "
         "'equalto', 'y') | list | length }}|{{ [1, 2, 3, 4] | select('even') | list }}|{{ ['a', "
         "'B'] | map('upper') | list }}",
         "{\"users\": [{\"name\": \"x\", \"admin\": true}, {\"name\": \"y\", \"admin\": false}]}",
         "['x']|y|1|[2, 4]|['A', 'B']"},
        {"{{ missing | default('dflt') }}|{{ '' | default('empty', true) }}|{{ none | "
         "default('kept') }}|{{ 42 | string ~ '!' }}|{{ '12' | int + 1 }}|{{ 'x' | int }}|{{ 3.9 | "
         "int }}|{{ '2.5' | float }}",
         "{}", "dflt|empty|None|42!|13|0|3|2.5"},
        {"{% for k, v in d | items %}{{ k }}:{{ v }};{% endfor %}|{{ d | tojson }}|{{ d | "
         "tojson(indent=2) }}|{{ '<b>&\\'\"' | tojson }}|{{ [] | tojson }}|{{ {'z': [1, 2.5, none, "
         "true]} | tojson }}",
         "{\"d\": {\"b\": \"\\u4e2d\\u6587\", \"a\": [1, {\"c\": null}]}}",
         "b:中文;a:[1, {'c': None}];|{\"b\": \"中文\", \"a\": [1, {\"c\": null}]}|{\n  \"b\": "
         "\"中文\",\n  \"a\": [\n    1,\n    {\n      \"c\": null\n    }\n  "
         "]\n}|\"<b>&'\\\"\"|[]|{\"z\": [1, 2.5, null, true]}"},
        {"{{ 'line1\\nline2\\n\\nline4' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' "
         "| indent(width='> ', blank=true) }}|{{ 'one two, three_3' | wordcount }}|{{ -5 | abs }}",
         "{}", "line1\n    line2\n\n    line4|  a\n  b|a\n> \n> b|3|5"},
        {"{{ '<tag>' | safe + '<b>' }}|{{ 'x' + '<b>' | safe }}|{{ '<i>' | escape }}|{{ [3, 1, 2] "
         "| sort | list }}|{{ [3, 1, 2] | max }}{{ [3, 1, 2] | min }}{{ [3, 1, 2] | sum }}",
         "{}", "<tag>&lt;b&gt;|x<b>|&lt;i&gt;|[1, 2, 3]|316"},
    });
}

TEST(ChatTemplateFeatures, Tests) {
    expect_renders({
        {"{{ x is defined }}{{ y is undefined }}{{ none is none }}{{ 'a' is string }}{{ {} is "
         "mapping }}{{ [] is iterable }}{{ 'a' is sequence }}{{ 1 is number }}{{ 1.5 is float }}{{ "
         "1 is integer }}",
         "{\"x\": 1}", "TrueTrueTrueTrueTrueTrueTrueTrueTrueTrue"},
        {"{{ true is boolean }}{{ true is true }}{{ 0 is false }}{{ 3 is odd }}{{ 4 is even }}{{ 9 "
         "is divisibleby 3 }}{{ 2 is equalto 2 }}{{ 'a' is in ['a'] }}{{ 'abc' is lower }}{{ 1 is "
         "not string }}",
         "{}", "TrueTrueFalseTrueTrueTrueTrueTrueTrueTrue"},
    });
}

TEST(ChatTemplateFeatures, Methods) {
    expect_renders({
        {"{{ 'Hello'.startswith('He') }}{{ 'Hello'.endswith(('x', 'lo')) }}|{{ 'a,b,,c'.split(',') "
         "}}|{{ '  a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ ' x '.strip() }}|{{ "
         "'xxax'.lstrip('x') }}|{{ 'axx'.rstrip('x') }}",
         "{}", "TrueTrue|['a', 'b', '', 'c']|['a', 'b']|['a', 'b c']|x|ax|a"},
        {"{{ 'hi'.upper() }}{{ 'HI'.lower() }}|{{ \"they're bill\".title() }}|{{ "
         "'hELLO'.capitalize() }}|{{ 'aXa'.replace('a', 'b') }}|{{ 'hello'.find('l') }}{{ "
         "'hello'.count('l') }}",
         "{}", "HIhi|They'Re Bill|Hello|bXb|22"},
        {"{{ d.get('a') }}{{ d.get('z') }}{{ d.get('z', 'dflt') }}|{{ d.keys() | list }}|{{ "
         "d.values() | list }}|{% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}",
         "{\"d\": {\"a\": 1, \"b\": 2}}", "1Nonedflt|['a', 'b']|[1, 2]|a1b2"},
    });
}

}  // namespace
}  // namespace assistd::chat
