/**
 * "Plan Scale…": asks what to plan for (the running lab's or attached cluster's targets, an Alloy config, or
 * a targets file), which sizes and which node names, and plans them with the same planner as `alloy-lab plan`.
 */
import path from "node:path";
import * as vscode from "vscode";
import {
  planInputFromConfigSource,
  planInputFromLabState,
  planInputFromTargetsJson,
  withLabWeights,
  type PlanInput,
} from "../../../runtime/src/planning/planTargets";
import { namesPatternOf, parsePlanSizes, planScale, validNamesPattern, type ScalePlanResult } from "../../../runtime/src/planning/scalePlan";
import type { LabState } from "../../../runtime/src/protocol/labState";
import type { PlanPageContext } from "./planPage";

/** The most sizes one plan shows (the planner itself goes further on the command line). */
const MAX_PLAN_SIZE = 300;

interface PlanSource {
  label: string;
  description: string;
  /** The input and how the page names it; undefined when the user backs out. */
  load: () => Promise<{ input: PlanInput; source: string; weights: string } | undefined>;
}

const LAB_WEIGHTS = "samples/s the lab's target farm serves for each target";
const UNIT_WEIGHTS = "every target weighs 1";

function sources(state: LabState | undefined, simulatedTargets: number): PlanSource[] {
  const list: PlanSource[] = [];
  if (state !== undefined) {
    const attached = state.source.kind === "attached";
    const where = state.source.kind === "attached" ? `the cluster at ${state.source.url}` : "the lab";
    list.push({
      label: attached ? "The attached cluster's targets" : "The lab's targets",
      description: `${state.targets.filter((t) => t.clustered).length} clustered targets, as its nodes key them now`,
      load: () => {
        const input = planInputFromLabState(state);
        return Promise.resolve(
          attached
            ? { input, source: `${where}'s clustered components`, weights: UNIT_WEIGHTS }
            : { input: withLabWeights(input), source: `${where}'s clustered components`, weights: LAB_WEIGHTS },
        );
      },
    });
  }
  const editor = vscode.window.activeTextEditor?.document;
  if (editor?.fileName.endsWith(".alloy")) {
    const name = path.basename(editor.fileName);
    list.push({
      label: `The config ${name}`,
      description: `its clustered components (${simulatedTargets} simulated targets per discovery)`,
      load: () => {
        const input = planInputFromConfigSource(editor.getText(), editor.fileName, simulatedTargets);
        return Promise.resolve({ input: withLabWeights(input), source: `${name}'s clustered components`, weights: LAB_WEIGHTS });
      },
    });
  }
  list.push({
    label: "A targets file…",
    description: 'JSON: {"targets": [label sets], "keyStrategy"?} or a list of label sets',
    load: async () => {
      const [uri] = (await vscode.window.showOpenDialog({ title: "Targets to plan for", filters: { JSON: ["json"] }, canSelectMany: false })) ?? [];
      if (uri === undefined) return undefined;
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString("utf8");
      return { input: planInputFromTargetsJson(JSON.parse(text)), source: path.basename(uri.fsPath), weights: UNIT_WEIGHTS };
    },
  });
  return list;
}

/** The sizes to offer: around the cluster's size now, or 3..10. */
function defaultSizes(current: number | undefined): string {
  return current === undefined ? "3..10" : `${Math.max(1, current - 2)}..${current + 6}`;
}

export interface PlannedScale {
  result: ScalePlanResult;
  context: PlanPageContext;
}

/** Asks and plans; undefined when the user backs out. Errors in the input are thrown with their reason. */
export async function planScaleInteractively(state: LabState | undefined, simulatedTargets: number): Promise<PlannedScale | undefined> {
  const offered = sources(state, simulatedTargets);
  const picked = offered.length === 1 ? offered[0] : await vscode.window.showQuickPick(offered, { title: "Plan the cluster size for which targets?" });
  if (picked === undefined) return undefined;
  const loaded = await picked.load();
  if (loaded === undefined) return undefined;

  const names = [...new Set(state?.nodes.filter((n) => n.running).map((n) => n.name))];
  const currentPattern = state === undefined ? undefined : namesPatternOf(names);
  const sizes = await vscode.window.showInputBox({
    title: "Plan which cluster sizes?",
    prompt: "A..B (or one size N)",
    value: defaultSizes(currentPattern === undefined ? undefined : names.length),
    validateInput: (v) => (parsePlanSizes(v, MAX_PLAN_SIZE) === undefined ? `N or A..B with 1 ≤ A ≤ B ≤ ${MAX_PLAN_SIZE}` : undefined),
  });
  if (sizes === undefined) return undefined;
  const pattern = await vscode.window.showInputBox({
    title: "Node names",
    prompt: "{i} counts from 0, as a StatefulSet names its pods",
    value: currentPattern ?? "alloy-{i}",
    validateInput: (v) => (validNamesPattern(v) ? undefined : "must contain {i}, e.g. alloy-{i}"),
  });
  if (pattern === undefined) return undefined;
  const [from, to] = parsePlanSizes(sizes, MAX_PLAN_SIZE)!;
  return {
    result: planScale(loaded.input.groups, from, to, pattern),
    context: {
      source: loaded.source,
      weights: loaded.weights,
      namesPattern: pattern,
      currentSize: pattern === currentPattern ? names.length : undefined,
    },
  };
}
