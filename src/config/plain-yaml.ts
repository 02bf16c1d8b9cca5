// What ecs-ship.yml takes of YAML: plain values. A tag (`!shell`) is not run or converted, so it is refused
// rather than ignored; aliases and merge keys are refused with a message that says so (the top level and
// the environments are where settings are shared).
import { isAlias, isCollection, isScalar, visit, type Document, type Node, type Pair } from 'yaml';

const CORE_TAGS = ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`);

export interface YamlProblem {
  at: Node | Pair;
  text: string;
}

export function plainYamlProblems(document: Document): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== '<<') return undefined;
      problems.push({ at: pair, text: '<<: a merge key, which ecs-ship.yml does not take. Expected the settings written out; settings the services share go at the top level or in an environment' });
      return visit.SKIP;
    },
    Alias(_, alias) {
      problems.push({ at: alias, text: `*${alias.source}: an alias, which ecs-ship.yml does not take. Expected the value written out; settings the services share go at the top level or in an environment` });
    },
    Node(_, node) {
      if (isAlias(node) || !node.tag || CORE_TAGS.includes(node.tag)) return;
      if (isScalar(node) || isCollection(node)) problems.push({ at: node, text: `${shortTag(node.tag)}: an unknown tag. Expected plain YAML values, without tags` });
    },
  });
  return problems;
}

function shortTag(tag: string): string {
  return tag.replace(/^tag:yaml\.org,2002:/, '!!');
}
