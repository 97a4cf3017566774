// The preload: exposes exactly one object, `window.debuggerApi`, the shared IPC client (shared/ipc-client.ts)
// over ipcRenderer. Validation, unknown-channel refusal and error shapes are the client's, the same as in
// browser mode. Must never expose ipcRenderer, Node, or any function beyond invoke/on.
import '../../shared/zod-jitless';
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('debuggerApi', createPreloadApi(ipcRenderer));
