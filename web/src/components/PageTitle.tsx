/** The page's <h1>, which also names the browser tab. */
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** `isolate`: the title is data (e.g. a case title) whose direction may differ from the page's. */
export function PageTitle({ children, isolate }: { children: string; isolate?: boolean }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${children} — ${t("app.name")}`;
  }, [children, t]);
  return (
    <h1 className="page-title" tabIndex={-1}>
      {isolate ? <bdi>{children}</bdi> : children}
    </h1>
  );
}
