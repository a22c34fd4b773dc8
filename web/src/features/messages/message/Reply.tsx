/**
 * Replying to a received message: an info-reply in the same thread, to the sender
 * only, with the request's marking (editable).
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  forFields,
  type InboxMessage,
  run,
  type SendMessageBody,
  type Tlp,
} from "../../../api.ts";
import { isTlp } from "../../../components/Federation.tsx";
import {
  CheckboxGroup,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextAreaField,
  TextField,
} from "../../../components/form/index.ts";
import { ALL_HANDLING, ALL_TLP } from "../../../constants.ts";
import { userNames } from "../compose/draft.ts";

export function Reply({ message, onSent }: { message: InboxMessage; onSent: () => void }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState("");
  const [names, setNames] = useState("");
  const [tlp, setTlp] = useState<Tlp>(isTlp(message.tlp) ? message.tlp : "amber");
  const [handling, setHandling] = useState<(typeof ALL_HANDLING)[number][]>(
    ALL_HANDLING.filter((h) => message.handling.includes(h)),
  );
  // The reply keeps the request's marking, H3's restrictions included (editable).
  const [restrictions, setRestrictions] = useState(message.restrictions ?? "");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const body: SendMessageBody = {
      to: [message.sender],
      type: "info-reply",
      version: 1,
      thread: message.thread,
      body: { inReplyTo: message.id, answer: answer.trim() },
      tlp,
      handling: handling.length ? handling : ["H0"],
    };
    const named = userNames(names);
    if (tlp === "red" && named.length > 0) body.namedRecipients = named;
    if (handling.includes("H3") && restrictions.trim()) body.restrictions = restrictions.trim();
    setBusy(true);
    const r = await run(api.POST("/api/federation/messages", { body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(
        forFields(r.problem, [
          "to",
          "tlp",
          "handling",
          "namedRecipients",
          "restrictions",
          "thread",
          "body.answer",
          "body.inReplyTo",
        ]),
      );
      return;
    }
    setAnswer("");
    setDone(t("exchange.reply.sent", { node: message.sender }));
    onSent();
  };
  return (
    <section className="section panel reply" aria-labelledby="reply-title" data-testid="reply">
      <h2 id="reply-title">{t("exchange.reply.title")}</h2>
      <p className="muted">{t("exchange.reply.intro", { node: message.sender })}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <TextAreaField
          fieldClassName="form-grid-wide"
          label={t("exchange.body.answer")}
          value={answer}
          onChange={setAnswer}
          rows={5}
          dir="auto"
          error={problem?.fields["body.answer"]}
          testId="reply-answer"
        />
        <SelectField
          label={t("case.tlp")}
          hint={t("exchange.reply.markingHint")}
          value={tlp}
          onChange={(v) => setTlp(ALL_TLP.find((x) => x === v) ?? "amber")}
          options={ALL_TLP.map((l) => ({ value: l, label: `TLP:${l.toUpperCase()}` }))}
          error={problem?.fields.tlp}
          testId="reply-tlp"
        />
        {tlp === "red" && (
          <TextField
            label={t("exchange.compose.namedRecipients")}
            hint={t("exchange.reply.namedRecipientsHint", { node: message.sender })}
            value={names}
            onChange={setNames}
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            error={problem?.fields.namedRecipients}
            testId="reply-named-recipients"
          />
        )}
        <CheckboxGroup
          legend={t("newCase.handlingCodes")}
          options={ALL_HANDLING.map((h) => ({ value: h, label: `${h} — ${t(`handlingCode.${h}.short`)}` }))}
          selected={handling}
          onChange={setHandling}
          error={problem?.fields.handling}
          testIdPrefix="reply-handling-"
        />
        {handling.includes("H3") && (
          <TextAreaField
            fieldClassName="form-grid-wide"
            label={t("exchange.compose.restrictions")}
            hint={t("exchange.compose.restrictionsHint")}
            value={restrictions}
            onChange={setRestrictions}
            rows={3}
            maxLength={2000}
            dir="auto"
            error={problem?.fields.restrictions}
            testId="reply-restrictions"
          />
        )}
        <div className="form-grid-wide">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="reply-submit">
            {busy ? t("exchange.compose.sending") : t("exchange.reply.submit", { node: message.sender })}
          </button>
        </div>
      </form>
    </section>
  );
}
