// What happened to an invitation email, as the coordinator sees it. Kept free of server imports so the
// client-side invite form can use the same wording as the server actions.

export interface EmailOutcome {
  to: string;
  sent: boolean;
  /** One sentence, present when the email was not sent. */
  error?: string;
}

export function emailOutcomeMessage(outcome: EmailOutcome): string {
  return outcome.sent
    ? `Email sent to ${outcome.to}.`
    : `Email not sent: ${outcome.error ?? "unknown reason."} Send the link yourself.`;
}
