/**
 * The peers a liaison officer may address (`GET /api/federation/partners`): node id,
 * name and state, without keys or endpoints. Only active partners receive messages.
 */
import { useEffect, useState } from "react";
import { type ApiProblem, api, type Partner, run } from "../../api.ts";

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
