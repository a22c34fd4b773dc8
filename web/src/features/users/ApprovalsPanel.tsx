/**
 * Four eyes: the requests waiting for a second administrator. Another administrator — never
 * the one who asked, never the account concerned — approves (the change is made then; a
 * one-time password or a token's secret is shown here, once) or refuses.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApprovalView } from "../../../../src/domain/schemas.ts";
import { type ApiProblem, api, run } from "../../api.ts";
import { ConfirmButton } from "../../components/ConfirmButton.tsx";
import { ProblemAlert, StatusMessage } from "../../components/form/index.ts";
import { OneTimeSecret } from "../../components/Secret.tsx";
import { useFormat } from "../../format.ts";
import { useSignedIn } from "../../session.tsx";

function describe(a: ApprovalView, t: (k: string, o?: Record<string, unknown>) => string): string {
  const p = a.payload as {
    after?: string[];
    granted?: string[];
    roles?: string[];
    name?: string;
    scopes?: string[];
  };
  const roles = (rs: string[] | undefined) => (rs ?? []).map((r) => t(`roles.${r}`)).join(", ");
  switch (a.kind) {
    case "roles_grant":
      return t("approvals.detail.roles_grant", { roles: roles(p.granted) });
    case "user_create":
      return t("approvals.detail.user_create", { roles: roles(p.roles) });
    case "token_create":
      return t("approvals.detail.token_create", { name: p.name ?? "", scopes: (p.scopes ?? []).join(", ") });
    default:
      return "";
  }
}

export function ApprovalsPanel({
  refreshKey = 0,
  onDecided,
}: {
  refreshKey?: number;
  /** After an approval (an account may have been created or changed). */
  onDecided?: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSignedIn();
  const [approvals, setApprovals] = useState<ApprovalView[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/approvals", { params: { query: { status: "pending" } } }));
    if (r.ok) setApprovals(r.data.approvals);
    else setProblem(r.problem);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the page asks
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const approve = async (a: ApprovalView) => {
    setProblem(null);
    setDone(null);
    const r = await run(api.POST("/api/approvals/{id}/approve", { params: { path: { id: a.id } } }));
    if (!r.ok) return setProblem(r.problem);
    setDone(t("approvals.approved", { what: t(`approvals.kind.${a.kind}`), username: a.targetUsername }));
    onDecided?.();
    const value = r.data.temporaryPassword ?? r.data.secret;
    if (value) {
      setSecret({
        title: r.data.secret
          ? t("approvals.tokenSecretTitle", { username: a.targetUsername })
          : t("users.temporaryPasswordTitle", { username: a.targetUsername }),
        value,
      });
    }
    await load();
  };

  const refuse = async (a: ApprovalView) => {
    setProblem(null);
    setDone(null);
    const r = await run(api.POST("/api/approvals/{id}/refuse", { params: { path: { id: a.id } }, body: {} }));
    if (!r.ok) return setProblem(r.problem);
    setDone(t("approvals.refused", { what: t(`approvals.kind.${a.kind}`), username: a.targetUsername }));
    await load();
  };

  return (
    <section className="panel section" aria-labelledby="approvals-title" data-testid="approvals">
      <h2 id="approvals-title">{t("approvals.title")}</h2>
      <p className="muted">{t("approvals.intro")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      {secret && (
        <OneTimeSecret
          title={secret.title}
          note={t("approvals.secretNote")}
          value={secret.value}
          testId="approval-secret"
          onDismiss={() => setSecret(null)}
        />
      )}
      {approvals && approvals.length === 0 && <p className="muted">{t("approvals.none")}</p>}
      {approvals && approvals.length > 0 && (
        <ul className="action-list">
          {approvals.map((a) => {
            const mine = a.requestedBy === session.user.id || a.targetUserId === session.user.id;
            return (
              <li key={a.id} data-testid="approval">
                <div>
                  <strong>
                    {t(`approvals.kind.${a.kind}`)}: <code dir="ltr">{a.targetUsername}</code>
                  </strong>
                  <p className="muted">
                    {describe(a, t)}{" "}
                    {t("approvals.requested", {
                      requestedBy: a.requestedByLabel,
                      at: format.dateTime(a.requestedAt),
                      expires: format.dateTime(a.expiresAt),
                    })}
                  </p>
                  {mine && <p className="muted">{t("approvals.notYours")}</p>}
                </div>
                {!mine && (
                  <span className="badges">
                    <ConfirmButton
                      label={t("approvals.approve")}
                      question={t("approvals.approveConfirm", {
                        what: t(`approvals.kind.${a.kind}`),
                        username: a.targetUsername,
                      })}
                      testId="approval-approve"
                      onConfirm={() => approve(a)}
                    />
                    <ConfirmButton
                      label={t("approvals.refuse")}
                      question={t("approvals.refuseConfirm")}
                      danger
                      testId="approval-refuse"
                      onConfirm={() => refuse(a)}
                    />
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
