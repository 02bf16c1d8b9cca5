import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var s=class t extends Error{constructor(r){super(t.format(r));this.problems=r;this.name="InputError"}problems;static format(r){return r.length===1?r[0]:`${r.length} problems with the inputs:
- ${r.join(`
- `)}`}},e=class extends Error{constructor(r,a=[]){super(r);this.details=a;this.name="DeployError"}details},o=class extends Error{constructor(r){super(`Cancelled by ${r}.`);this.signalName=r}signalName};export{s as a,e as b,o as c};
