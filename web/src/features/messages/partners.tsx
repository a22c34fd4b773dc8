/**
 * The peers a liaison officer may address (`GET /api/federation/partners`): node id,
 * name and state, without keys or endpoints. Only active partners receive messages;
 * the others are named with their state.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, type Partner, run } from "../../api.ts";
import { PeerStatusBadge, partnerLabel } from "../../components/Federation.tsx";

export function usePartners(): { partners: Partner[] | null; problem: ApiProblem | null } {
  const [partners, setPartners] = useState<Partner[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const r = await run(api.GET("/api/federation/partners"));
      if (cancelled) return;
      if (r.ok) setPartners(r.data.partners);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, []);
  return { partners, problem };
}

/** The peers that cannot be addressed now (pending approval or suspended), with their state. */
export function UnreachablePartners({ partners }: { partners: Partner[] }) {
  const { t } = useTranslation();
  return (
    <div className="partners-unreachable" data-testid="partners-unreachable">
      <p className="field-hint">{t("exchange.compose.unreachablePartners")}</p>
      <ul className="plain-list">
        {partners.map((p) => (
          <li key={p.nodeId} data-testid={`partner-unreachable-${p.nodeId}`} data-status={p.status}>
            <bdi>{partnerLabel(p)}</bdi> <PeerStatusBadge status={p.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}
