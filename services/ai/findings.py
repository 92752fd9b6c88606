"""What the built-in analyzer found on a case, in no language: stored as such, written out in the reader's language
when read (`render`), so that an analysis run by a French-speaking user reads in English for an English-speaking
one. The LLM provider's answers are text in the language they were asked in, stored as `AnalysisResult`."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.ai.phrases import Phrase
from services.ai.schema import AnalysisResult, LegalReference, NextStep, Risk, RiskFactor, RiskLevel, risk_level


class FactorFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    weight: int
    label: Phrase
    evidence: Phrase | None = None


class StepFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: Phrase
    due_date: date | None = None
    why: Phrase | None = None


class Findings(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date = Field(description='The day of the analysis: the days it speaks of are seen from it.')
    summary: list[Phrase]
    factors: list[FactorFinding] = Field(default_factory=list)
    recommendations: list[Phrase] = Field(default_factory=list)
    next_steps: list[StepFinding] = Field(default_factory=list)
    legal_references: list[LegalReference] = Field(default_factory=list)

    @property
    def score(self) -> int:
        """The sum of the factor weights, at most 100."""
        return min(100, sum(factor.weight for factor in self.factors))

    @property
    def level(self) -> RiskLevel:
        return risk_level(self.score)

    def render(self, language: str) -> AnalysisResult:
        """The analysis written out in `language`."""
        def text(phrase: Phrase | None) -> str:
            return phrase.text(language, self.day) if phrase else ''

        factors = [RiskFactor(code=factor.code, label=text(factor.label), weight=factor.weight,
                              evidence=text(factor.evidence)) for factor in self.factors]
        return AnalysisResult(
            summary=' '.join(text(part) for part in self.summary),
            risk=Risk(level=self.level, score=self.score, factors=factors),
            recommendations=[text(item) for item in self.recommendations],
            next_steps=[NextStep(title=text(step.title), due_date=step.due_date, why=text(step.why))
                        for step in self.next_steps],
            legal_references=self.legal_references)

    def step_titles(self, index: int) -> set[str]:
        """The title of next step `index` in every language the analyzer speaks."""
        title = self.next_steps[index].title
        return {title.text(language, self.day) for language in ('fr', 'en')}
