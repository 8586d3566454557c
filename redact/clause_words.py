"""The words a kept risk statement may be made of, declared as data.

A risk statement says who is at risk of what, and how much: "He poses a high risk of sexual harm
to female children under 12". Published minutes and sentencing remarks run such statements
straight into the detail that must never reach a child's file ("..., he abused his stepdaughter
over four years", "... to boys he meets through his work as a football coach"), often with
words no detector knows. So a risk clause is kept only as far as it is made of these words:
the clause is cut at the first other word after the risk, a neighbouring clause joins it only
when it is made of them too, and what stands before the risk is either these words or dropped.

A word missing here costs a risk statement a few words; a word wrongly listed here may let a
detail through, so the list holds the vocabulary of risk and nothing that describes offending.
"""

from __future__ import annotations

import re

RISK_WORDS = frozenset("""
risk risks risky harm harms harmful serious significant sexual sexually physical physically emotional emotionally
psychological psychologically violence violent abuse abusive domestic neglect neglectful exploitation exploitative
exploit exploiting grooming radicalisation radicalization extremism extremist fire-setting fire setting injury injuries
aggression aggressive intimidation intimidating danger dangerous unsafe coercion coercive control controlling
manipulation manipulative threatening threats behaviour behaviours behavior wellbeing welfare safety imminent
imminence likelihood impact harmfulness endangering endanger endangerment exposure exposed exposing witness
witnessing witnessed re-offending reoffending offending further rosh oasys ogrs ospc ospi rsr rm2000 arms
low medium high very moderate increased elevated considerable raised heightened ongoing continuing current currently
levels level assessed assessment assessments considered deemed judged graded rated rating scored remains remain
continues continue continued still also now presently likely unlikely potential potentially possible possibly
poses pose posing posed present presents presenting presented represent represents representing constitutes
is are was were be been being has have had will would may might could can should must
children child children's childrens girls girl boys boy babies baby infants infant toddlers toddler teenagers
teenage teenaged adolescents adolescent young younger youngest older oldest people persons person adults adult
women woman men man females female males male partners partner partner's ex-partners ex-partner ex-partner's
family families member members siblings sibling peers peer staff professionals professional public community
communities strangers stranger known unknown vulnerable pre-pubescent prepubescent pubescent post-pubescent
pre-school preschool school-age school-aged primary secondary age aged ages under over between upwards years year
old months month own household households home homes care carers carer residents living live lives others other another anyone
everyone those these such any all some many most both either each whom who whose
son sons daughter daughters stepson stepsons stepdaughter stepdaughters stepchild stepchildren grandson grandsons
granddaughter granddaughters grandchild grandchildren nephew nephews niece nieces brother brothers sister sisters
half-brother half-sister cousin cousins relatives relative mother mothers father fathers parents parent
online internet social media contact unsupervised supervised without
a an the of to for towards toward against with and or nor not no in on at by from through via within into
including particularly especially notably mainly mostly primarily specifically namely in respect regard relation
terms as well than that this there it its he she they his her their him them himself herself themselves
panel meeting agreed noted mappa multi-agency view
""".split())  # noqa: SIM905

# A kept clause must still say of what or to whom ("He poses a high risk." says nothing).
SUBSTANCE = re.compile(
    r"\b(?:harm\w*|violen\w*|abus\w*|neglect\w*|exploit\w*|grooming|radicali[sz]ation|extremism|fire-setting|"
    r"injur\w*|aggressi\w*|intimidat\w*|danger\w*|coerci\w*|controlling|re-?offending|children|child|girls?|boys?|"
    r"bab(?:y|ies)|infants?|toddlers?|teenage\w*|adolescents?|young\w*|people|persons?|adults?|women|woman|men|man|"
    r"females?|males?|partners?|ex-partners?|famil(?:y|ies)|staff|professionals?|public|communit(?:y|ies)|strangers?|"
    r"peers?|siblings?|sons?|daughters?|step\w+|grand\w+|nephews?|nieces?|brothers?|sisters?|half-\w+|cousins?|"
    r"relatives?|mothers?|fathers?|parents?|carers?|household|residents?|others|rosh)\b",
    re.I,
)

# Who is at risk: a clause cut short before forbidden detail is kept only if it still says so
# ("He poses a high risk to children [on release]" stays; "His risk of sexual harm [to Karen WALSH]" goes).
TARGET = re.compile(
    r"\b(?:children|child|girls?|boys?|bab(?:y|ies)|infants?|toddlers?|teenage\w*|adolescents?|young\w*|people|"
    r"persons?|adults?|women|woman|men|man|females?|males?|partners?|ex-partners?|famil(?:y|ies)|staff|"
    r"professionals?|public|communit(?:y|ies)|strangers?|peers?|siblings?|sons?|daughters?|step\w+|grand\w+|"
    r"nephews?|nieces?|brothers?|sisters?|half-\w+|cousins?|relatives?|mothers?|fathers?|parents?|carers?|"
    r"household|residents?|others)\b",
    re.I,
)

# What a clause may end on without saying anything: cut from the end of a shortened clause.
TRAILING = frozenset("""
a an the of to for towards toward against with and or nor in on at by from through via within into as than that
this who whom whose which he she they his her their him them it its is are was were be been being has have had
will would may might could can should must including particularly especially notably mainly such like where when
while whilst aged under over between upwards respect regard relation terms also still
""".split())  # noqa: SIM905

# Words that turn a statement round: a clause whose opening words are dropped must not lose one.
NEGATIONS = re.compile(r"\b(?:no|not|never|nothing|none|neither|nor|unlikely|without|lack|absence|doubt|n't|cannot|"
                       r"unable|ruled\s+out|dispute[sd]?|disagree[sd]?)\b|n['’]t\b", re.I)

# After the risk, a new subject starts a new clause ("...to boys he meets through his work").
TAIL_STOP = frozenset({"he", "she", "they", "it", "i", "we"})

# Where a risk statement may begin after words that are not part of it ("Jailing him, the judge
# said he posed...": the statement begins at "he").
RESTART = frozenset({"he", "she", "they", "there", "it"})

_WORD = re.compile(r"[\w'’-]+")


def words_of(text: str) -> list[tuple[str, int, int]]:
    """(lower-case word, start, end) for each word of ``text``; possessive "'s" kept."""
    return [(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]


def is_clause_word(word: str, names: frozenset[str]) -> bool:
    w = word.lower().replace("’", "'")
    if w in RISK_WORDS or w in names or (w.isdigit() and len(w) <= 2):  # ages, never years
        return True
    if w.endswith("'s") and (w[:-2] in RISK_WORDS or w[:-2] in names):
        return True
    # "10-year-old", "high-risk"
    return "-" in w and all(p in RISK_WORDS or p.isdigit() for p in w.split("-") if p)


def only_clause_words(text: str, names: frozenset[str]) -> bool:
    return all(is_clause_word(w, names) for w, _, _ in words_of(text))
