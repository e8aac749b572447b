import type { PreChatQuestion, WidgetStrings } from './contract';

export type AnswerProblem = 'required' | 'invalidEmail' | 'invalidPhone' | 'invalidChoice' | 'tooLong';

// Deliberately permissive: the server normalises phone numbers with
// libphonenumber and matches contacts; the widget only catches obvious typos
// so the customer is not bounced by a round trip.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phoneCharacters = /^\+?[\d\s().\-/]+$/;

export function checkAnswer(question: PreChatQuestion, raw: string | undefined): AnswerProblem | undefined {
  const value = (raw ?? '').trim();
  if (value === '') return question.required ? 'required' : undefined;
  if (value.length > (question.maxLength ?? 200)) return 'tooLong';
  switch (question.kind) {
    case 'email':
      return emailPattern.test(value) ? undefined : 'invalidEmail';
    case 'phone': {
      const digits = value.replace(/\D/g, '').length;
      return phoneCharacters.test(value) && digits >= 6 && digits <= 17 ? undefined : 'invalidPhone';
    }
    case 'choice':
      return (question.choices ?? []).some((c) => c.value === value) ? undefined : 'invalidChoice';
    default:
      return undefined;
  }
}

export function checkAnswers(
  questions: readonly PreChatQuestion[],
  answers: Readonly<Record<string, string>>,
): Record<string, AnswerProblem> {
  const problems: Record<string, AnswerProblem> = {};
  for (const q of questions) {
    const problem = checkAnswer(q, answers[q.id]);
    if (problem) problems[q.id] = problem;
  }
  return problems;
}

/** Trimmed answers for the questions asked, blanks left out. */
export function cleanAnswers(
  questions: readonly PreChatQuestion[],
  answers: Readonly<Record<string, string>>,
): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const q of questions) {
    const value = (answers[q.id] ?? '').trim();
    if (value !== '') clean[q.id] = value;
  }
  return clean;
}

export function problemText(problem: AnswerProblem, strings: WidgetStrings): string {
  return strings[problem];
}
