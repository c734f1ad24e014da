// What a case page costs without Next.js's request pipeline: the page's data (`readerCase`, the same call the
// page makes) and React's server render of the same component, called in this process. Run by
// bench/case-page-cpu.ts as a child with NODE_ENV=production (React's production build, as `next start` uses),
// after the readers have seen their cases: `tsx bench/load/page-without-next.ts <studyId> <cases> <readerId>...`.
// Prints one JSON line: CPU ms per call of each.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { AppRouterContext, type AppRouterInstance } from "next/dist/shared/lib/app-router-context.shared-runtime";
import { readerCase } from "../../lib/studies/reader-survey";
import { SurveyCase } from "../../app/surveys/[studyId]/case/[n]/survey-case";
import { disconnectDb } from "../../lib/db/client";

const [studyId, casesArg, ...readerIds] = process.argv.slice(2);
const cases = Number(casesArg);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

// The component reads Next's router only in event handlers; a router that does nothing serves the render.
const noRouter: AppRouterInstance = {
  push() {},
  replace() {},
  refresh() {},
  back() {},
  forward() {},
  prefetch() {},
  bfcacheId: "bench",
};

const readAll = async () => {
  const views = [];
  for (const readerId of readerIds) for (let n = 1; n < cases; n++) views.push(await readerCase(readerId, studyId, n));
  return views;
};
await readAll(); // warm-up
let t = cpuMs();
const views = await readAll();
const dataMs = (cpuMs() - t) / views.length;

const render = (view: (typeof views)[number]) =>
  renderToString(createElement(AppRouterContext.Provider, { value: noRouter }, createElement(SurveyCase, { view })));
for (const view of views.slice(0, 20)) render(view); // warm-up
t = cpuMs();
for (const view of views) render(view);
const renderMs = (cpuMs() - t) / views.length;

console.log(JSON.stringify({ calls: views.length, dataMs, renderMs }));
await disconnectDb();
