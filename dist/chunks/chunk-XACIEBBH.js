import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
function c(e){let n=[{label:"Service",value:`${e.service} in ${e.cluster} (${e.region})`,link:u(e).service}];if(e.image&&n.push({label:"Image",value:e.image}),e.imageDigest&&n.push({label:"Digest",value:`${e.imageDigest}${e.imageBuilt===!1?" (existing image reused, no build)":""}`}),e.taskDefinitionArn){let t=e.registered?"new revision":"unchanged, reused";n.push({label:"Task definition",value:`${o(e.taskDefinitionArn)} (${t})`,link:u(e).taskDefinition})}if(e.migration){let{result:t,exitCode:s,durationMs:i,taskArn:a}=e.migration,l=s===void 0?"":`, exit code ${s}`;n.push({label:"Migration",value:`${t}${l}${r(i)}`,link:a&&u(e).task(a)})}return e.rollout&&n.push({label:"Rollout",value:$(e)}),n}function g(e){return c(e).map(n=>`${n.label}: ${n.value}${n.link?` \u2014 ${n.link}`:""}`)}function p(e){let n={deployed:"\u2705 Deployed",planned:"\u{1F4DD} Planned (dry run)",failed:"\u274C Deploy failed",cancelled:"\u26D4 Deploy cancelled",running:"\u2026 Running"}[e.outcome],t=c(e).map(i=>`| ${i.label} | ${d(i.value)}${i.link?` ([console](${i.link}))`:""} |`),s=e.message&&e.outcome!=="deployed"?`

\`\`\`
${e.message}
\`\`\`
`:`
`;return`## ecs-ship: ${n}

| | |
|---|---|
${t.join(`
`)}${s}`}function $({rollout:e,previousTaskDefinitionArn:n}){if(!e)return"";switch(e.state){case"UNCHANGED":return`none needed, the service already ran ${o(n??"")}`;case"STARTED":return`deployment ${e.deploymentId} started (not waited for)`;case"COMPLETED":return`deployment ${e.deploymentId} completed${r(e.durationMs)}`;case"FAILED":return`deployment ${e.deploymentId} failed${r(e.durationMs)}${e.rolledBackTo?`; service back on ${o(e.rolledBackTo)}`:""}`;default:return`deployment ${e.deploymentId??""} in progress`}}function u({region:e,cluster:n,service:t,taskDefinitionArn:s}){let i=`https://${e}.console.aws.amazon.com/ecs/v2`,a=l=>l.split("/").pop();return{service:`${i}/clusters/${a(n)}/services/${a(t)}/health?region=${e}`,taskDefinition:s&&`${i}/task-definitions/${o(s).replace(":","/")}/containers?region=${e}`,task:l=>`${i}/clusters/${a(n)}/tasks/${a(l)}/configuration?region=${e}`}}function o(e){return e.replace(/^arn:aws[\w-]*:ecs:[^:]+:\d+:task-definition\//,"")}function r(e){return e===void 0?"":` in ${Math.round(e/1e3)} s`}function d(e){return e.replace(/\|/g,"\\|")}export{g as a,p as b};
