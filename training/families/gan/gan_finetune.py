"""The DCGAN discriminator fine-tuned whole on the labels (row ``gan_finetune``): the supervised
recipe from the discriminator's convolutions (training/finetuning.py, ``gan_probe.pretrained_encoder``).

    python -m training train gan_finetune --fraction 0.01 --seed 0
"""

from training.finetuning import FineTuneConfig as Config
from training.finetuning import train_fine_tuned as train_point

__all__ = ["Config", "train_point"]
