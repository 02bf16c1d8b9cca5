import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var n=class r extends Error{constructor(t){super(r.format(t));this.problems=t;this.name="InputError"}problems;static format(t){return t.length===1?t[0]:`${t.length} problems with the inputs:
- ${t.join(`
- `)}`}},s=class extends Error{constructor(t,i=[]){super(t);this.details=i;this.name="DeployError"}details};export{n as a,s as b};
