import { CreateTeamForm } from "@/components/team/create-team-form";
import { Card, PageHeader } from "@/components/ui/card";

export const metadata = { title: "New team" };

export default function NewTeamPage() {
  return (
    <>
      <PageHeader title="Create a team" description="You will be its only member and its admin; invite others from the team page." />
      <Card>
        <CreateTeamForm />
      </Card>
    </>
  );
}
