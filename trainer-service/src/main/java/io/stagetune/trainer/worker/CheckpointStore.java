package io.stagetune.trainer.worker;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectUri;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stage checkpoints in the checkpoints bucket. A stage's checkpoint is {@code <model>/<runId>/<stage>/}:
 * {@code backbone.pt}, {@code head.safetensors}, {@code metrics.json}, and {@code checkpoint.json} written last, so a
 * folder with it is complete. Workers never write there while they train: each holder of the stage's lease writes
 * under its own attempt, {@code attempts/<token>/} (epoch checkpoints in {@code epoch-<k>/} with {@code progress.json}
 * last, then the stage's files and their {@code checkpoint.json}). Once the registry has accepted an attempt as the
 * stage's checkpoint (a completion only the current token can make, once), {@link #promote} copies that attempt's
 * files beside it and its {@code checkpoint.json} last. Whoever promotes, and however often, the same attempt's bytes
 * land there, so readers never see files of two attempts. Then the attempts are deleted.
 */
@ApplicationScoped
public class CheckpointStore {

    private static final String ATTEMPTS_FOLDER = "attempts/";
    private static final String EPOCH_FOLDER = "epoch-";
    private static final String EPOCH_DONE_FILE = "progress.json";
    private static final List<String> STAGE_FILES = List.of(CheckpointManifest.BACKBONE_FILE,
            CheckpointManifest.HEAD_FILE, CheckpointManifest.METRICS_FILE);
    private static final Pattern EPOCH_KEY = Pattern.compile("attempts/(\\d+)/epoch-(\\d+)/" + EPOCH_DONE_FILE);

    private final ObjectStore store;
    private final String bucket;

    public CheckpointStore(ObjectStore store, ObjectStoreConfig config) {
        this.store = store;
        this.bucket = config.checkpointsBucket();
    }

    @PostConstruct
    void createBucket() {
        store.ensureBucket(bucket);
    }

    public ObjectUri location(StageCommand command) {
        return new ObjectUri(bucket, ObjectKeys.checkpointPrefix(command.model(), command.runId(), command.stage()));
    }

    /** The stage's checkpoint, if it is complete. */
    public Optional<CheckpointManifest> completed(StageCommand command) {
        return store.find(bucket, location(command).resolve(CheckpointManifest.FILE).key())
                .map(bytes -> EventJson.readDocument(bytes, CheckpointManifest.class));
    }

    /** The folder where the holder of lease {@code token} writes its attempt at the stage. */
    public ObjectUri attempt(StageCommand command, long token) {
        return location(command).resolve(ATTEMPTS_FOLDER + token + "/");
    }

    /** Uploads an epoch checkpoint written locally, {@code progress.json} last, and returns its folder. */
    public String saveEpoch(StageCommand command, long token, int epoch, Path directory) {
        ObjectUri folder = attempt(command, token).resolve(EPOCH_FOLDER + epoch + "/");
        List<Path> files = files(directory);
        files.stream().filter(file -> !file.getFileName().toString().equals(EPOCH_DONE_FILE))
                .forEach(file -> store.put(bucket, folder.resolve(relative(directory, file)).key(), file,
                        "application/octet-stream"));
        files.stream().filter(file -> file.getFileName().toString().equals(EPOCH_DONE_FILE))
                .forEach(file -> store.put(bucket, folder.resolve(relative(directory, file)).key(), file,
                        "application/json"));
        return folder.toString();
    }

    /** Deletes the attempt's epoch checkpoints other than {@code keptEpoch}'s. */
    public void deleteOtherEpochs(StageCommand command, long token, int keptEpoch) {
        ObjectUri attempt = attempt(command, token);
        String kept = attempt.resolve(EPOCH_FOLDER + keptEpoch + "/").key();
        for (String key : store.list(bucket, attempt.resolve(EPOCH_FOLDER).key())) {
            if (!key.startsWith(kept)) {
                store.delete(bucket, key);
            }
        }
    }

    /** Deletes every object under a folder. */
    public void deleteFolder(String folderUri) {
        ObjectUri folder = ObjectUri.parse(folderUri);
        for (String key : store.list(folder.bucket(), folder.key())) {
            store.delete(folder.bucket(), key);
        }
    }

    /** Downloads a complete epoch checkpoint into {@code directory}. */
    public Path restoreEpoch(String folderUri, Path directory) {
        ObjectUri folder = ObjectUri.parse(folderUri);
        if (!store.exists(folder.bucket(), folder.resolve(EPOCH_DONE_FILE).key())) {
            throw new IllegalStateException("epoch checkpoint " + folderUri + " is incomplete: no "
                    + EPOCH_DONE_FILE);
        }
        for (String key : store.list(folder.bucket(), folder.key())) {
            store.download(folder.bucket(), key, directory.resolve(key.substring(folder.key().length())));
        }
        return directory;
    }

    /** Uploads the stage's files from {@code directory} into the attempt, its {@code checkpoint.json} last. */
    public String saveAttempt(StageCommand command, long token, Path directory, CheckpointManifest manifest) {
        ObjectUri attempt = attempt(command, token);
        for (String file : STAGE_FILES) {
            store.put(bucket, attempt.resolve(file).key(), directory.resolve(file), "application/octet-stream");
        }
        store.put(bucket, attempt.resolve(CheckpointManifest.FILE).key(), EventJson.writeBytes(manifest),
                "application/json");
        return attempt.toString();
    }

    /** Deletes an attempt's stage files (not its epoch checkpoints, which a next holder may resume from). */
    public void deleteAttemptFiles(String attemptUri) {
        ObjectUri attempt = ObjectUri.parse(attemptUri);
        for (String file : List.of(CheckpointManifest.FILE, CheckpointManifest.BACKBONE_FILE,
                CheckpointManifest.HEAD_FILE, CheckpointManifest.METRICS_FILE)) {
            store.delete(attempt.bucket(), attempt.resolve(file).key());
        }
    }

    /**
     * Makes the accepted attempt the stage's checkpoint: its files copied beside the stage's folder, then its
     * {@code checkpoint.json}; then every attempt is deleted. Call only with the attempt the registry accepted.
     */
    public CheckpointManifest promote(StageCommand command, String attemptUri) {
        ObjectUri folder = location(command);
        if (completed(command).isEmpty()) {
            ObjectUri attempt = ObjectUri.parse(attemptUri);
            for (String file : STAGE_FILES) {
                store.copy(bucket, attempt.resolve(file).key(), folder.resolve(file).key());
            }
            store.copy(bucket, attempt.resolve(CheckpointManifest.FILE).key(),
                    folder.resolve(CheckpointManifest.FILE).key());
        }
        deleteFolder(folder.resolve(ATTEMPTS_FOLDER).toString());
        return completed(command).orElseThrow(() -> new IllegalStateException("checkpoint " + folder
                + " has no " + CheckpointManifest.FILE + " after promoting " + attemptUri));
    }

    /** The highest attempt number the stage has in the store, if any. */
    public OptionalLong lastAttempt(StageCommand command) {
        return store.listFolders(bucket, location(command).resolve(ATTEMPTS_FOLDER).key()).stream()
                .filter(name -> name.matches("\\d+")).mapToLong(Long::parseLong).max();
    }

    /** The folder of the stage's most advanced complete epoch checkpoint, of any attempt. */
    public Optional<String> latestEpochCheckpoint(StageCommand command) {
        ObjectUri folder = location(command);
        String bestKey = null;
        long bestEpoch = -1;
        long bestAttempt = -1;
        for (String key : store.list(bucket, folder.resolve(ATTEMPTS_FOLDER).key())) {
            Matcher matcher = EPOCH_KEY.matcher(key.substring(folder.key().length()));
            if (!matcher.matches()) {
                continue;
            }
            long attempt = Long.parseLong(matcher.group(1));
            long epoch = Long.parseLong(matcher.group(2));
            if (epoch > bestEpoch || (epoch == bestEpoch && attempt > bestAttempt)) {
                bestKey = key;
                bestEpoch = epoch;
                bestAttempt = attempt;
            }
        }
        return Optional.ofNullable(bestKey).map(key -> new ObjectUri(bucket,
                key.substring(0, key.length() - EPOCH_DONE_FILE.length())).toString());
    }

    /** Downloads a checkpoint folder's backbone and head into {@code directory} and returns its manifest. */
    public CheckpointManifest download(String checkpointUri, Path directory) {
        ObjectUri folder = ObjectUri.parse(checkpointUri);
        for (String file : List.of(CheckpointManifest.BACKBONE_FILE, CheckpointManifest.HEAD_FILE)) {
            store.download(folder.bucket(), folder.resolve(file).key(), directory.resolve(file));
        }
        return EventJson.readDocument(store.get(folder.bucket(), folder.resolve(CheckpointManifest.FILE).key()),
                CheckpointManifest.class);
    }

    public void downloadObject(String uri, Path file) {
        ObjectUri object = ObjectUri.parse(uri);
        store.download(object.bucket(), object.key(), file);
    }

    private static List<Path> files(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static String relative(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }
}
