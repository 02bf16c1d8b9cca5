import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-MCNVQVOO.js";import"./chunk-4PKZTSVN.js";import"./chunk-CUFCKMXC.js";import"./chunk-WGC32AVP.js";import"./chunk-XDP6RD4K.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
