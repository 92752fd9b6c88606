"""The built-in analyzer: deterministic, offline, explainable. Same facts, same day, same knowledge base, same
result. It finds (`find`) in no language; `analyze` writes the findings out in one."""

from datetime import date

from services.ai.facts import CaseFacts
from services.ai.findings import Findings
from services.ai.playbook import next_steps, recommendations
from services.ai.retrieval import LegalIndex
from services.ai.risk import assess, find_alarms
from services.ai.schema import AnalysisResult, LegalReference, risk_level
from services.ai.summary import summarize

MAX_REFERENCES = 5


def find(facts: CaseFacts, index: LegalIndex, today: date,
         references: list[LegalReference] | None = None) -> Findings:
    """`references`: the case's ranked texts when the caller has searched already (the best ones are kept)."""
    alarms = find_alarms(facts) if facts.status.is_open else []
    factors = assess(facts, today, alarms)
    level = risk_level(min(100, sum(factor.weight for factor in factors)))
    if references is None:
        references = index.search(facts.text(), facts.case_type.value, limit=MAX_REFERENCES)
    return Findings(day=today, summary=summarize(facts, today, vocabulary=index.vocabulary), factors=factors,
                    recommendations=recommendations(facts, level, today),
                    next_steps=next_steps(facts, factors, alarms, today),
                    legal_references=references[:MAX_REFERENCES])


def analyze(facts: CaseFacts, index: LegalIndex, today: date, language: str,
            references: list[LegalReference] | None = None) -> AnalysisResult:
    """The findings written out in `language`."""
    return find(facts, index, today, references).render(language)
