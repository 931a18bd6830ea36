import { Head, Html, Main, NextScript, type DocumentProps } from "next/document";

/**
 * The Pages Router's HTML document, like the root layout's (app/layout.tsx): `data-theme` from the theme
 * cookie, which the page's props carry (pages/sign-in.tsx, computed with lib/theme as the layout does).
 */
export default function Document({ __NEXT_DATA__ }: DocumentProps) {
  const theme = (__NEXT_DATA__.props?.pageProps as { theme?: unknown } | undefined)?.theme;
  return (
    <Html lang="en" data-theme={theme === "light" || theme === "dark" ? theme : undefined}>
      <Head>
        <meta name="description" content="Your team's connections and HTTP flows, self-hosted." />
        <link rel="icon" href="/favicon.svg" />
      </Head>
      <body className="min-h-screen font-sans">
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
