import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as c}from"./chunk-DM3Y4GAN.js";import{a as n}from"./chunk-2K6DQYYZ.js";import"./chunk-A7XVQSNU.js";import"./chunk-XDP6RD4K.js";function d(p,s){let u=!!process.stderr.isTTY&&!s.NO_COLOR,t=c({write:e=>process.stderr.write(`${e}
`),debug:/^(true|1)$/i.test(s.DEBUG??""),colour:u,levelPrefixes:!1}),i=e=>{for(let[r,o]of Object.entries(e))o&&process.stdout.write(`${r}=${o}
`)};return{raw:p,reporter:t.reporter,async succeed(e,r){for(let o of n(e))t.line(o);t.success(e.outcome==="planned"?"Dry run: nothing was changed.":"Deployed."),i(r)},async fail(e,r,o){for(let f of r?n(r):[])t.line(f);t.failure(e),i(o)}}}export{d as cliFrontEnd};
