"""Property: minutes assembled at random from forbidden fragments and risk statements never give
a RELEASED summary that contains a forbidden fragment (and the same holds per child)."""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from redact.policy import SummaryPolicy
from redact.summary import summarise
from tests.redact.helpers import facts, minutes

POLICY = SummaryPolicy("Example Borough Council")

# (fragment, the part of it that must never reach a child's file)
FORBIDDEN: list[tuple[str, str]] = [
    ("convicted at Snaresbrook Crown Court", "Snaresbrook Crown Court"),
    ("sentenced to 6 years' imprisonment", "6 years' imprisonment"),
    ("released from HMP Pentonville on licence", "HMP Pentonville"),
    ("subject to a SHPO for 10 years", "SHPO"),
    ("a Category 1 registered sex offender", "Category 1"),
    ("living at 12 Agar Grove NW1 9SR", "12 Agar Grove"),
    ("whose PNC ID is 98/1234567X", "98/1234567X"),
    ("contrary to s.7 Sexual Offences Act 2003", "Sexual Offences Act 2003"),
    ("as intelligence suggests", "intelligence"),
    ("with his ex-partner Karen Walsh", "Karen Walsh"),
    ("near Brookside Academy", "Brookside Academy"),
    ("with a curfew monitored by an electronic tag", "electronic tag"),
    ("while residing at Elm House Approved Premises", "Elm House"),
    ("after police home visits every 4 weeks", "police home visits"),
    ("towards his victim Ella Reid, aged 9", "Ella Reid"),
    ("with Noah Patel present", "Noah Patel"),  # the other child, for Lily's summary
]
RISKS = [
    "he poses a high risk of sexual harm to female children under 12",
    "there is a medium risk of serious harm to known adults",
    "he presents a risk of emotional harm to children in the household",
    "he poses a very high risk of serious harm to children",
]
HEADINGS = ["Risk", "Risk of serious harm", "Children's Services update", "Discussion", "Safeguarding", "Summary",
            "Index offence", "Licence conditions"]
JOINERS = [", as shown by the fact he was {f}", " and was {f}", "; he was {f}", " ({f})", ", {f},", " because he was {f}"]


@st.composite
def sentence(draw):
    kind = draw(st.sampled_from(["risk", "forbidden", "mixed", "mixed_front"]))
    risk = draw(st.sampled_from(RISKS))
    frag = draw(st.sampled_from(FORBIDDEN))[0]
    if kind == "risk":
        return risk[0].upper() + risk[1:] + "."
    if kind == "forbidden":
        return "He was " + frag + "."
    if kind == "mixed_front":
        return "Having been " + frag + ", " + risk + "."
    joiner = draw(st.sampled_from(JOINERS))
    return risk[0].upper() + risk[1:] + joiner.format(f=frag) + "."


documents = st.lists(st.tuples(st.sampled_from(HEADINGS), st.lists(sentence(), min_size=1, max_size=4)),
                     min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(documents)
def test_no_released_summary_holds_a_forbidden_fragment(parsed, sections):
    doc = minutes(sections)
    f = facts(children=(("Lily Smith", "daughter"), ("Noah Patel", "son")), others=(("Karen Walsh", "partner"),))
    lily, noah = summarise(doc, f, parsed(doc), POLICY)
    for s in (lily, noah):
        event(f"released={s.released}")
        if not s.released:
            continue
        for _, bad in FORBIDDEN:
            if bad == "Noah Patel" and s is noah:
                continue
            assert bad.lower() not in s.text.lower(), (bad, s.text)
        # released means: a risk survived, and nothing but template, risks, contact and actions
        assert any(line.startswith("- ") and "risk" in line for line in s.text.splitlines())
