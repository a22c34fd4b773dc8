/**
 * Opening a case. Its statistical class is derived from the recorded elements
 * (the common definition, ECOSOC 2002/16 §1): the same pure rules the server
 * applies run here as a live preview; the server remains the authority.
 *
 * `?fromMessage=<id>` opens it from a received abducted-person notice: the form is
 * pre-filled from the notice (title from its summary, when the victim was last seen,
 * the victim's age, its TLP and handling codes — the country is left to the officer:
 * a notice gives a place as free text), and the case is opened and linked to the
 * notice in one step (`POST /api/federation/inbox/{id}/case`).
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { type ApiProblem, api, type InboxMessageDetail, run } from "../../../api.ts";
import { ProblemAlert } from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { NewCaseForm } from "./NewCaseForm.tsx";

export function NewCasePage() {
  const [params] = useSearchParams();
  const fromMessage = params.get("fromMessage");
  return fromMessage ? <NewCaseFromMessage id={fromMessage} key={fromMessage} /> : <NewCaseForm />;
}

/** The notice first (an audited read, as any reading of it); then the form, pre-filled. */
function NewCaseFromMessage({ id }: { id: string }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<InboxMessageDetail | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const r = await run(api.GET("/api/federation/inbox/{id}", { params: { path: { id } } }));
      if (cancelled) return;
      if (r.ok) setMessage(r.data);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [id]);
  if (problem) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/exchange">{t("exchange.message.backToInbox")}</Link>
        </p>
        <PageTitle>{t("newCase.title")}</PageTitle>
        <ProblemAlert problem={problem} />
      </>
    );
  }
  if (!message) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  return <NewCaseForm source={message} />;
}
