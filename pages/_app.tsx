import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { AppProps } from "next/app";
import "@/app/globals.css";

/**
 * The Pages Router's root, for its one page (pages/sign-in.tsx): the app's stylesheet and fonts as the
 * App Router's root layout (app/layout.tsx) has them. The font variables sit on this wrapper because
 * next/font cannot be used in pages/_document.tsx.
 */
export default function App({ Component, pageProps }: AppProps) {
  return (
    <div className={`${GeistSans.variable} ${GeistMono.variable} font-sans`}>
      <Component {...pageProps} />
    </div>
  );
}
