import { StrictMode, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { ConsoleContext, createConsoleClient, startConsole, useBlockFollower, type Startup } from "./context.js";
import { Link, navigate, usePath } from "./router.js";
import { ErrorBox, PageBoundary } from "./ui.js";
import type { ConsoleClient, ResolvedConsoleConfig } from "../read/types.js";
import { OverviewPage } from "./pages/OverviewPage.js";
import { AllowlistPage } from "./pages/AllowlistPage.js";
import { EnclavesPage } from "./pages/EnclavesPage.js";
import { EnclavePage } from "./pages/EnclavePage.js";
import { ReceiptsPage } from "./pages/ReceiptsPage.js";
import { RootsPage } from "./pages/RootsPage.js";
import { DecisionsPage } from "./pages/DecisionsPage.js";
import { GovernancePage } from "./pages/GovernancePage.js";

/** Pages in navigation order, each with its `g <key>` shortcut. */
const PAGES = [
  { path: "/", key: "o", label: "Overview" },
  { path: "/allowlist", key: "a", label: "Allowlist" },
  { path: "/enclaves", key: "e", label: "Enclaves" },
  { path: "/receipts", key: "r", label: "Receipts" },
  { path: "/roots", key: "t", label: "Roots" },
  { path: "/decisions", key: "d", label: "Decisions" },
  { path: "/governance", key: "g", label: "Governance" },
] as const;

function App() {
  const client = useMemo(() => createConsoleClient(), []);
  const [startup, setStartup] = useState<Startup>({ state: "loading" });
  useEffect(() => {
    void startConsole(client).then(setStartup);
  }, [client]);
  if (startup.state === "loading") return <Shell><p className="muted">Connecting to the chain…</p></Shell>;
  if (startup.state === "failed") {
    return (
      <Shell>
        <div className="banner" role="alert" data-testid="startup-error">
          <strong>{startup.title}</strong>
          <div className="detail">{startup.detail}</div>
        </div>
        <button onClick={() => location.reload()}>Retry</button>
      </Shell>
    );
  }
  return <Ready client={client} config={startup.config} />;
}

function Ready({ client, config }: { client: ConsoleClient; config: ResolvedConsoleConfig }) {
  const follower = useBlockFollower(client);
  const path = usePath();
  const [help, setHelp] = useState(false);
  useKeyboard(follower.refresh, () => setHelp((shown) => !shown));
  const context = useMemo(() => ({ config, client, refreshCount: follower.refreshCount, refresh: follower.refresh }), [config, client, follower.refreshCount, follower.refresh]);
  return (
    <ConsoleContext.Provider value={context}>
      <Shell
        path={path}
        status={
          <>
            <span className="status" data-testid="block">
              chain {config.chainId} · block {follower.blockNumber?.toString() ?? "…"}
            </span>
            <button onClick={follower.refresh} title="Reload this page's data (r)" data-testid="refresh">
              Refresh
            </button>
            <ThemeToggle />
          </>
        }
      >
        {follower.rpcError ? <ErrorBox title="The RPC stopped answering: the chain cannot be read" error={new Error(follower.rpcError)} /> : null}
        <PageBoundary resetKey={path}>{route(path)}</PageBoundary>
        {help ? <Help close={() => setHelp(false)} /> : null}
      </Shell>
    </ConsoleContext.Provider>
  );
}

function route(path: string) {
  const enclave = /^\/enclaves\/(0x[0-9a-fA-F]{40})$/.exec(path);
  if (enclave?.[1]) return <EnclavePage address={enclave[1] as `0x${string}`} />;
  switch (path) {
    case "/":
      return <OverviewPage />;
    case "/allowlist":
      return <AllowlistPage />;
    case "/enclaves":
      return <EnclavesPage />;
    case "/receipts":
      return <ReceiptsPage />;
    case "/roots":
      return <RootsPage />;
    case "/decisions":
      return <DecisionsPage />;
    case "/governance":
      return <GovernancePage />;
    default:
      return <ErrorBox title={`No page at ${path}`} error={new Error("Pick a page above.")} />;
  }
}

function Shell({ children, path, status }: { children: React.ReactNode; path?: string; status?: React.ReactNode }) {
  return (
    <>
      <header className="top">
        <span className="brand">teezk console</span>
        <nav>
          {PAGES.map((page) => (
            <Link key={page.path} to={page.path} aria-current={path === page.path || (page.path !== "/" && path?.startsWith(`${page.path}/`)) ? "page" : undefined}>
              {page.label}
              <kbd>g{page.key}</kbd>
            </Link>
          ))}
        </nav>
        <span className="spacer" />
        {status}
      </header>
      <main>{children}</main>
    </>
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState(document.documentElement.dataset.theme ?? "light");
  const toggle = () => {
    const next = theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    localStorage.setItem("teezk-theme", next);
    setTheme(next);
  };
  useEffect(() => {
    const onKey = () => toggle();
    addEventListener("teezk-toggle-theme", onKey);
    return () => removeEventListener("teezk-toggle-theme", onKey);
  });
  return (
    <button onClick={toggle} title="Light / dark (shift+t)" data-testid="theme">
      {theme === "dark" ? "Light" : "Dark"}
    </button>
  );
}

/** g+key goes to a page, r refreshes, / focuses the page's filter, shift+t switches theme, ? lists the keys. */
function useKeyboard(refresh: () => void, toggleHelp: () => void) {
  useEffect(() => {
    let pendingG = false;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (pendingG) {
        pendingG = false;
        const page = PAGES.find((p) => p.key === event.key);
        if (page) navigate(page.path);
        return;
      }
      if (event.key === "g") pendingG = true;
      else if (event.key === "r") refresh();
      else if (event.key === "T") dispatchEvent(new Event("teezk-toggle-theme"));
      else if (event.key === "?") toggleHelp();
      else if (event.key === "/") {
        const filter = document.querySelector<HTMLInputElement>("input[data-filter]");
        if (filter) {
          event.preventDefault();
          filter.focus();
        }
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [refresh, toggleHelp]);
}

function Help({ close }: { close: () => void }) {
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal help" role="dialog" aria-label="Keyboard shortcuts">
        <h1>Keyboard</h1>
        <dl className="kv">
          {PAGES.map((page) => [<dt key={`${page.key}k`}>g {page.key}</dt>, <dd key={`${page.key}v`}>{page.label}</dd>])}
          <dt>r</dt>
          <dd>refresh the page's data</dd>
          <dt>/</dt>
          <dd>filter the table</dd>
          <dt>shift+t</dt>
          <dd>light / dark</dd>
          <dt>?</dt>
          <dd>this list</dd>
        </dl>
      </div>
    </div>
  );
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
