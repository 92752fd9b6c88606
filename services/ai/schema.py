"""The shape of an analysis, shared by the built-in analyzer, the LLM provider, the store and the API.

An LLM's answer is validated against these models, so it can never store more (or other) than the built-in
analyzer does.
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RiskLevel = Literal['low', 'medium', 'high', 'critical']
RISK_LEVELS: tuple[RiskLevel, ...] = ('low', 'medium', 'high', 'critical')


class RiskFactor(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(default='llm', max_length=40, description='A stable identifier, e.g. `overdue`.')
    label: str = Field(min_length=1, max_length=200)
    weight: int = Field(ge=0, le=100, description='Points this factor adds to the score.')
    evidence: str = Field(default='', max_length=500, description='The fact behind it, with dates and numbers.')


class Risk(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: RiskLevel
    score: int = Field(ge=0, le=100, description='The sum of the factor weights, at most 100.')
    factors: list[RiskFactor] = Field(default_factory=list, max_length=20)


class NextStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str = Field(min_length=1, max_length=300)
    due_date: date | None = None
    why: str = Field(default='', max_length=500)


class LegalReference(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(default='', max_length=60, description="The knowledge base entry's code, when it has one.")
    reference: str = Field(min_length=1, max_length=300, description='The official reference of the text.')
    title: str = Field(min_length=1, max_length=300)
    article: str | None = Field(default=None, max_length=120)
    why: list[str] = Field(default_factory=list, max_length=12, description='Words of the case that matched.')
    relevance: float = Field(ge=0, le=1)


class AnalysisResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    summary: str = Field(min_length=1, max_length=4000)
    risk: Risk
    recommendations: list[str] = Field(default_factory=list, max_length=12)
    next_steps: list[NextStep] = Field(default_factory=list, max_length=12)
    legal_references: list[LegalReference] = Field(default_factory=list, max_length=10)


def risk_level(score: int) -> RiskLevel:
    """Thresholds on the 0–100 score: 70 critical, 45 high, 20 medium."""
    if score >= 70:
        return 'critical'
    if score >= 45:
        return 'high'
    if score >= 20:
        return 'medium'
    return 'low'
