"""The built-in analyzer: deterministic, offline, explainable. Same facts, same day, same knowledge base, same
result."""

from datetime import date

from services.ai.facts import CaseFacts
from services.ai.playbook import next_steps, recommendations
from services.ai.retrieval import LegalIndex
from services.ai.risk import assess, find_alarms
from services.ai.schema import AnalysisResult, LegalReference
from services.ai.summary import summarize

MAX_REFERENCES = 5


def analyze(facts: CaseFacts, index: LegalIndex, today: date, language: str,
            references: list[LegalReference] | None = None) -> AnalysisResult:
    """`references`: the case's ranked texts when the caller has searched already (the best ones are kept)."""
    alarms = find_alarms(facts) if facts.status.is_open else []
    risk = assess(facts, today, language, alarms)
    if references is None:
        references = index.search(facts.text(), facts.case_type.value, limit=MAX_REFERENCES)
    return AnalysisResult(summary=summarize(facts, today, language, vocabulary=index.vocabulary),
                          risk=risk, recommendations=recommendations(facts, risk, today, language),
                          next_steps=next_steps(facts, risk, alarms, today, language),
                          legal_references=references[:MAX_REFERENCES])
