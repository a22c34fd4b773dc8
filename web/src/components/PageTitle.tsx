/** The page's <h1>, which also names the browser tab. */
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

export function PageTitle({ children }: { children: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${children} — ${t("app.name")}`;
  }, [children, t]);
  return (
    <h1 className="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}
