// Turns a Facility into flat, index-based arrays the scheduler scans quickly. Built once per facility and
// reused by every pass. Pools group the nodes of one site and one node type: a job's placement never
// mixes node types, and each pool has one GPUs-per-node figure.
import type { Facility, NodeType, Site } from "../model/types.ts";

export interface CompiledPool {
  index: number;
  siteIndex: number;
  nodeType: NodeType;
  gpusPerNode: number;
  /** Domain indices in physical order. */
  domains: number[];
  /** Block indices in physical order. */
  blocks: number[];
  nodeCount: number;
  gpuCount: number;
  maxDomainGpus: number;
  maxBlockGpus: number;
}

export interface CompiledFacility {
  facility: Facility;
  sites: Site[];
  /** Owning tenant of each site, or null for facility-operated sites. */
  siteOwner: (string | null)[];
  nodeIds: string[];
  nodeIndexById: Map<string, number>;
  nodeGpus: Uint8Array;
  nodeDomain: Int32Array;
  nodeBlock: Int32Array;
  nodePool: Int32Array;
  nodeUp: Uint8Array;
  domainIds: string[];
  /** Node indices of each domain. */
  domainNodes: Int32Array[];
  domainBlock: Int32Array;
  domainPool: Int32Array;
  domainGpus: Int32Array;
  blockIds: string[];
  /** Domain indices of each block. */
  blockDomains: Int32Array[];
  blockPool: Int32Array;
  blockGpus: Int32Array;
  pools: CompiledPool[];
  /** GPUs at facility-operated sites: the base that guaranteed shares are taken of. */
  facilityGpus: number;
  gpuModels: string[];
}

export function compileFacility(facility: Facility): CompiledFacility {
  const siteIndex = new Map(facility.sites.map((s, i) => [s.id, i]));
  const nodeTypes = new Map(facility.nodeTypes.map((t) => [t.id, t]));
  const n = facility.nodes.length;
  const nodeIds: string[] = new Array(n);
  const nodeIndexById = new Map<string, number>();
  const nodeGpus = new Uint8Array(n);
  const nodeDomain = new Int32Array(n);
  const nodeBlock = new Int32Array(n);
  const nodePool = new Int32Array(n);
  const nodeUp = new Uint8Array(n);

  const poolIndex = new Map<string, number>();
  const pools: CompiledPool[] = [];
  const domainIndex = new Map<string, number>();
  const domainIds: string[] = [];
  const domainNodeLists: number[][] = [];
  const domainBlockList: number[] = [];
  const domainPoolList: number[] = [];
  const blockIndex = new Map<string, number>();
  const blockIds: string[] = [];
  const blockDomainLists: number[][] = [];
  const blockPoolList: number[] = [];

  for (let i = 0; i < n; i++) {
    const node = facility.nodes[i]!;
    const type = nodeTypes.get(node.nodeTypeId);
    const site = siteIndex.get(node.siteId);
    if (!type || site === undefined)
      throw new Error(`node ${node.id} references an unknown site or node type`);
    if (type.gpusPerNode > 32)
      throw new Error(`node type ${type.id}: more than 32 GPUs per node is not supported`);
    nodeIds[i] = node.id;
    nodeIndexById.set(node.id, i);
    nodeGpus[i] = type.gpusPerNode;
    nodeUp[i] = node.state === "up" ? 1 : 0;

    const poolKey = `${node.siteId}\u0000${type.id}`;
    let p = poolIndex.get(poolKey);
    if (p === undefined) {
      p = pools.length;
      poolIndex.set(poolKey, p);
      pools.push({
        index: p,
        siteIndex: site,
        nodeType: type,
        gpusPerNode: type.gpusPerNode,
        domains: [],
        blocks: [],
        nodeCount: 0,
        gpuCount: 0,
        maxDomainGpus: 0,
        maxBlockGpus: 0,
      });
    }
    const pool = pools[p]!;
    pool.nodeCount++;
    pool.gpuCount += type.gpusPerNode;
    nodePool[i] = p;

    const blockKey = `${poolKey}\u0000${node.blockId}`;
    let b = blockIndex.get(blockKey);
    if (b === undefined) {
      b = blockIds.length;
      blockIndex.set(blockKey, b);
      blockIds.push(node.blockId);
      blockDomainLists.push([]);
      blockPoolList.push(p);
      pool.blocks.push(b);
    }
    nodeBlock[i] = b;

    const domainKey = `${blockKey}\u0000${node.domainId}`;
    let d = domainIndex.get(domainKey);
    if (d === undefined) {
      d = domainIds.length;
      domainIndex.set(domainKey, d);
      domainIds.push(node.domainId);
      domainNodeLists.push([]);
      domainBlockList.push(b);
      domainPoolList.push(p);
      blockDomainLists[b]!.push(d);
      pool.domains.push(d);
    }
    nodeDomain[i] = d;
    domainNodeLists[d]!.push(i);
  }

  const domainGpus = new Int32Array(domainIds.length);
  domainNodeLists.forEach((nodes, d) => {
    for (const i of nodes) domainGpus[d]! += nodeGpus[i]!;
  });
  const blockGpus = new Int32Array(blockIds.length);
  blockDomainLists.forEach((domains, b) => {
    for (const d of domains) blockGpus[b]! += domainGpus[d]!;
  });

  for (const pool of pools) {
    for (const d of pool.domains) pool.maxDomainGpus = Math.max(pool.maxDomainGpus, domainGpus[d]!);
    for (const b of pool.blocks) pool.maxBlockGpus = Math.max(pool.maxBlockGpus, blockGpus[b]!);
  }

  const siteOwner = facility.sites.map((s) => (s.operator === "facility" ? null : s.operator.tenantId));
  let facilityGpus = 0;
  for (const pool of pools) if (siteOwner[pool.siteIndex] === null) facilityGpus += pool.gpuCount;

  return {
    facility,
    sites: facility.sites,
    siteOwner,
    nodeIds,
    nodeIndexById,
    nodeGpus,
    nodeDomain,
    nodeBlock,
    nodePool,
    nodeUp,
    domainIds,
    domainNodes: domainNodeLists.map((l) => Int32Array.from(l)),
    domainBlock: Int32Array.from(domainBlockList),
    domainPool: Int32Array.from(domainPoolList),
    domainGpus,
    blockIds,
    blockDomains: blockDomainLists.map((l) => Int32Array.from(l)),
    blockPool: Int32Array.from(blockPoolList),
    blockGpus,
    pools,
    facilityGpus,
    gpuModels: [...new Set(facility.nodeTypes.map((t) => t.gpuModel))].sort(),
  };
}
