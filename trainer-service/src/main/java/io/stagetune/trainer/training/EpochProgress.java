package io.stagetune.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a stage stands after an epoch: enough, with the weights and momentum beside it, to resume at the next
 * epoch. Stored as {@code progress.json}, written last, so its presence marks a complete epoch checkpoint.
 *
 * @param epoch                    the last completed epoch (1-based; 0 = none yet)
 * @param bestEpoch                the epoch with the best validation accuracy (0 = none yet)
 * @param bestValAccuracy          that accuracy
 * @param epochsWithoutImprovement epochs since the best one, for early stopping
 * @param finished                 whether the stage is over (early stop or last epoch)
 * @param history                  every completed epoch's report
 */
public record EpochProgress(int epoch, int bestEpoch, double bestValAccuracy, int epochsWithoutImprovement,
                            boolean finished, List<EpochReport> history) {

    public static final String FILE_NAME = "progress.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EpochProgress {
        history = List.copyOf(history);
    }

    static EpochProgress start() {
        return new EpochProgress(0, 0, -1, 0, false, List.of());
    }

    /** The progress after {@code report}'s epoch, with the early-stopping and last-epoch rules applied. */
    EpochProgress after(EpochReport report, int patience, int maxEpochs) {
        List<EpochReport> reports = new ArrayList<>(history);
        reports.add(report);
        int best = report.best() ? report.epoch() : bestEpoch;
        double bestAccuracy = report.best() ? report.valAccuracy() : bestValAccuracy;
        int waiting = report.best() ? 0 : epochsWithoutImprovement + 1;
        boolean done = waiting >= patience || report.epoch() >= maxEpochs;
        return new EpochProgress(report.epoch(), best, bestAccuracy, waiting, done, reports);
    }

    boolean stoppedEarly(int maxEpochs) {
        return finished && epoch < maxEpochs;
    }

    void write(Path directory) throws IOException {
        JSON.writeValue(directory.resolve(FILE_NAME).toFile(), this);
    }

    public static EpochProgress read(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException(directory + " is not a complete epoch checkpoint: " + FILE_NAME + " is missing");
        }
        return JSON.readValue(file.toFile(), EpochProgress.class);
    }
}
