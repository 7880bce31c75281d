package io.stagetune.ingest.repository;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;
import io.stagetune.ingest.Dataset;
import io.stagetune.ingest.DatasetImage;
import io.stagetune.ingest.DatasetVersionRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Datasets, their images and versions in the database, the ingest service's one source of truth. Every change of a
 * dataset happens in a transaction that first locks the dataset's row ({@link #lock}), so replicas take turns per
 * dataset while different datasets proceed in parallel; reads see what is committed, never a cache.
 */
@ApplicationScoped
public class DatasetRepository {

    /**
     * Content hashes per look-up query, and the sizes a query is padded to (by repeating its last hash), so that a
     * few query texts serve every upload and stay in the parse caches of Hibernate and the database.
     */
    private static final int[] LOOKUP_SIZES = {1, 8, 32, 128};
    private static final int QUERY_CHUNK = LOOKUP_SIZES[LOOKUP_SIZES.length - 1];

    /** Selects images as manifest entries; a query adds its where clause. */
    private static final String ENTRIES = "select new io.stagetune.common.dataset.ManifestEntry(i.objectKey, i.sha256, "
            + "i.label, i.split, i.width, i.height, i.provenance) from DatasetImage i ";

    /** The look-up query for each of {@link #LOOKUP_SIZES}, written once. */
    private static final String[] LOOKUPS = Arrays.stream(LOOKUP_SIZES)
            .mapToObj(size -> ENTRIES + "where " + keyLookup(size)).toArray(String[]::new);

    private final EntityManager em;

    public DatasetRepository(EntityManager em) {
        this.em = em;
    }

    /** The dataset's row, locked for update until the caller's transaction ends; created first if it is new. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Dataset lock(String datasetId) {
        Dataset dataset = em.find(Dataset.class, datasetId, LockModeType.PESSIMISTIC_WRITE);
        if (dataset != null) {
            return dataset;
        }
        createIfAbsent(datasetId);
        return em.find(Dataset.class, datasetId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The dataset's row locked for update, if the dataset exists. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Dataset> lockExisting(String datasetId) {
        return Optional.ofNullable(em.find(Dataset.class, datasetId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Inserts the row in a transaction of its own: two replicas creating one dataset both go on with its row. */
    private void createIfAbsent(String datasetId) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (em.find(Dataset.class, datasetId) == null) {
                    em.persist(new Dataset(datasetId, Instant.now()));
                }
            });
        } catch (RuntimeException createdByAnotherReplica) {
            if (QuarkusTransaction.requiringNew().call(() -> em.find(Dataset.class, datasetId)) == null) {
                throw createdByAnotherReplica;
            }
        }
    }

    @Transactional
    public Optional<Dataset> find(String datasetId) {
        return Optional.ofNullable(em.find(Dataset.class, datasetId));
    }

    /** Datasets with a version or staged images, by id. */
    @Transactional
    public List<Dataset> datasetsWithImages() {
        return em.createQuery("from Dataset d where d.latestVersion > 0 or exists (from DatasetImage i "
                + "where i.datasetId = d.id and i.version is null) order by d.id", Dataset.class).getResultList();
    }

    /**
     * The images of the dataset among these content hashes, staged or committed, by hash. Each hash is looked up by
     * the whole primary key, {@code (dataset_id, sha256) in ((?, ?), ...)}: written as {@code dataset_id = ? and
     * sha256 in (...)}, H2 uses only the key's first column and compares every image of the dataset with every hash
     * (the look-up took 25 ms for 128 hashes in a dataset of 20,000 images, against 0.7 ms by the whole key), so
     * each upload's dedupe cost grew with the dataset. PostgreSQL runs either form as index look-ups.
     */
    @Transactional
    public Map<String, ManifestEntry> images(String datasetId, Collection<String> sha256s) {
        Map<String, ManifestEntry> found = new HashMap<>();
        List<String> all = List.copyOf(sha256s);
        for (int from = 0; from < all.size(); from += QUERY_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + QUERY_CHUNK));
            int lookup = lookupFor(chunk.size());
            var query = em.createQuery(LOOKUPS[lookup], ManifestEntry.class).setParameter("dataset", datasetId);
            for (int i = 0; i < LOOKUP_SIZES[lookup]; i++) {
                query.setParameter("h" + i, chunk.get(Math.min(i, chunk.size() - 1)));
            }
            query.getResultStream().forEach(image -> found.put(image.sha256(), image));
        }
        return found;
    }

    /** The index of the smallest look-up size that holds this many hashes. */
    private static int lookupFor(int hashes) {
        for (int lookup = 0; lookup < LOOKUP_SIZES.length; lookup++) {
            if (hashes <= LOOKUP_SIZES[lookup]) {
                return lookup;
            }
        }
        throw new IllegalArgumentException(hashes + " hashes in one look-up");
    }

    /** {@code (i.datasetId, i.sha256) in ((:dataset, :h0), (:dataset, :h1), ...)} with {@code size} hashes. */
    private static String keyLookup(int size) {
        StringBuilder where = new StringBuilder("(i.datasetId, i.sha256) in (");
        for (int i = 0; i < size; i++) {
            where.append(i == 0 ? "" : ", ").append("(:dataset, :h").append(i).append(')');
        }
        return where.append(')').toString();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(DatasetImage image) {
        em.persist(image);
    }

    /** Gives every staged image of the dataset the version; the caller holds the dataset's lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int assignStaged(String datasetId, int version) {
        em.flush();
        return em.createQuery("update DatasetImage i set i.version = :version "
                        + "where i.datasetId = :dataset and i.version is null")
                .setParameter("version", version).setParameter("dataset", datasetId).executeUpdate();
    }

    @Transactional
    public long stagedCount(String datasetId) {
        return em.createQuery("select count(i) from DatasetImage i where i.datasetId = :dataset "
                        + "and i.version is null", Long.class)
                .setParameter("dataset", datasetId).getSingleResult();
    }

    /** Staged images of the dataset that are labels from production (they have a provenance). */
    @Transactional
    public long stagedLabels(String datasetId) {
        return em.createQuery("select count(i) from DatasetImage i where i.datasetId = :dataset "
                        + "and i.version is null and i.provenance is not null", Long.class)
                .setParameter("dataset", datasetId).getSingleResult();
    }

    /**
     * Datasets holding a staged label from production that was added before the instant. Asked per dataset, so that
     * only each dataset's staged images are read (by the version index), not every image of every dataset: every
     * replica asks every 30 s.
     */
    @Transactional
    public List<String> datasetsWithLabelsStagedBefore(Instant before) {
        return em.createQuery("select d.id from Dataset d where exists (from DatasetImage i where i.datasetId = d.id "
                        + "and i.version is null and i.provenance is not null and i.addedAt < :before) order by d.id",
                        String.class)
                .setParameter("before", before).getResultList();
    }

    /** Images per label and split that first appeared in the version. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Map<Split, Integer>> countsIn(String datasetId, int version) {
        Map<String, Map<Split, Integer>> counts = new TreeMap<>();
        for (Object[] row : em.createQuery("select i.label, i.split, count(i) from DatasetImage i "
                        + "where i.datasetId = :dataset and i.version = :version group by i.label, i.split",
                        Object[].class)
                .setParameter("dataset", datasetId).setParameter("version", version).getResultList()) {
            counts.computeIfAbsent((String) row[0], label -> new EnumMap<>(Split.class))
                    .put((Split) row[1], ((Number) row[2]).intValue());
        }
        return counts;
    }

    /** The version's manifest: every image up to it, older versions first, each in the order it was added. */
    @Transactional
    public List<ManifestEntry> entries(String datasetId, int version) {
        return new ArrayList<>(em.createQuery(ENTRIES + "where i.datasetId = :dataset and i.version <= :version "
                        + "order by i.version, i.seq", ManifestEntry.class)
                .setParameter("dataset", datasetId).setParameter("version", version).getResultList());
    }

    /** The images that first appeared in the version, in the order they were added. */
    @Transactional
    public List<ManifestEntry> entriesAddedIn(String datasetId, int version) {
        return em.createQuery(ENTRIES + "where i.datasetId = :dataset and i.version = :version order by i.seq",
                        ManifestEntry.class)
                .setParameter("dataset", datasetId).setParameter("version", version).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void addVersion(DatasetVersionRecord version) {
        em.persist(version);
    }

    @Transactional
    public Optional<DatasetVersionRecord> version(String datasetId, int version) {
        return Optional.ofNullable(em.find(DatasetVersionRecord.class,
                new DatasetVersionRecord.Key(datasetId, version)));
    }

    /** Every version of the dataset, oldest first. */
    @Transactional
    public List<DatasetVersionRecord> versions(String datasetId) {
        return em.createQuery("from DatasetVersionRecord v where v.datasetId = :dataset order by v.version",
                DatasetVersionRecord.class).setParameter("dataset", datasetId).getResultList();
    }
}
