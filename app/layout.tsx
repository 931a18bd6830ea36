import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import { currentThemePreference } from "@/lib/theme/current-theme";
import { themeAttribute } from "@/lib/theme/preference";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Plugboard", template: "%s · Plugboard" },
  description: "Your team's connections and HTTP flows, self-hosted.",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered on the server from the cookie: the first paint has the theme, and React hydrates the same attribute.
  const theme = themeAttribute(await currentThemePreference());
  return (
    <html lang="en" data-theme={theme} className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
